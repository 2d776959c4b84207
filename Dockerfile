# syntax=docker/dockerfile:1
#
# One image for every app of the platform. The app a container runs is chosen by its command,
# e.g. `node dist/apps/users/apps/users/src/main.js` (see docker-compose.yml); without one it runs
# the whole platform in one process. No secret is baked in: settings come from the environment.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies, compile every app ----------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# No install-time telemetry from swagger-ui's dependency.
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY nest-cli.json tsconfig.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build

# ---- runtime: production dependencies and the compiled output only -----------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
# The code stays owned by root, read-only to the user that runs it.
COPY --from=build /app/dist ./dist
# The gateway's routes file (GATEWAY_ROUTES_FILE defaults to config/gateway.routes.yaml).
COPY config ./config
# DATA_DIR (./data) is only used without DATABASE_URL; give the runtime user a place for it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000 3001 3002 3003
CMD ["node", "dist/apps/platform/apps/platform/src/main.js"]
