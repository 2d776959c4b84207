import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DomainError, type Principal } from '@gatehouse/contracts';
import type { Repository } from 'typeorm';
import { AuditTrail } from '../audit/audit.service';
import { AuthSettings } from '../auth.settings';
import { generateClientSecret, hashClientSecret } from '../clients/client-secret';
import { ClientEntity } from '../clients/client.entity';
import { ClientLookup } from '../clients/client-lookup';
import { tenantClientProblem } from '../clients/tenant-client-reach';
import { allowedScopesOf } from '../tenants/tenant-scopes';
import { RevocationEvents } from '../revocations/revocation-events.service';
import { TenantsRepository } from '../tenants/tenants.repository';
import { adminReachOf, tenantInReach } from './admin-policy';
import { type ClientView, clientView } from './admin-views';
import type { CreateClientDto } from './admin.dto';

export type ClientWithSecret = ClientView & { clientSecret?: string };

/** Clients: platform administrators manage any; tenant administrators those of their tenant. */
@Injectable()
export class ClientsAdmin {
  constructor(
    @InjectRepository(ClientEntity) private readonly clients: Repository<ClientEntity>,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditTrail,
    private readonly lookup: ClientLookup,
    private readonly settings: AuthSettings,
    private readonly revocations: RevocationEvents,
  ) {}

  async list(principal: Principal, tenant?: string): Promise<ClientView[]> {
    const tenantId = tenantInReach(adminReachOf(principal), tenant);
    const rows = await this.clients.find({ where: tenantId ? { tenantId } : {}, order: { id: 'ASC' } });
    return rows.map(clientView);
  }

  async create(principal: Principal, input: CreateClientDto): Promise<ClientWithSecret> {
    const reach = adminReachOf(principal);
    const tenantId = tenantInReach(reach, input.tenant);
    // A tenant's client never holds it, whoever asks (see mayIntrospectAny).
    if (input.introspect && (reach.kind !== 'platform' || tenantId)) await this.refuse(principal, input, tenantId, 'introspect is a platform privilege');
    if (tenantId) await this.withinTenant(principal, input, tenantId);
    if (await this.clients.existsBy({ id: input.clientId }))
      throw new DomainError('conflict', `client ${input.clientId} exists`, {}, 'The client id is taken.');
    if (input.public !== undefined && input.confidential !== undefined && input.public === input.confidential) {
      throw new DomainError('invalid_request', 'public and confidential disagree', {}, 'A client is either public or confidential.');
    }
    const confidential = input.public === undefined ? (input.confidential ?? true) : !input.public;
    if (!confidential && input.grantTypes.includes('client_credentials')) {
      throw new DomainError('invalid_request', 'public client with client_credentials', {}, 'A public client cannot use client_credentials.');
    }
    const secret = confidential ? generateClientSecret() : undefined;
    const client = await this.clients.save(
      this.clients.create({
        id: input.clientId,
        tenantId: tenantId ?? null,
        secretHash: secret ? hashClientSecret(secret) : null,
        grantTypes: input.grantTypes,
        scopes: input.scopes,
        redirectUris: input.redirectUris ?? [],
        postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
        allowedOrigins: input.allowedOrigins ?? [],
        audience: input.audience ?? null,
        tokenFormat: 'jwt',
        firstParty: input.firstParty ?? false,
        introspect: input.introspect ?? false,
        status: 'active',
        secretRotatedAt: null,
      }),
    );
    // Nothing unknown is remembered; forgotten anyway, so every write here is followed alike.
    this.lookup.forget(client.id);
    await this.audit.record({ type: 'admin.client.created', outcome: 'success', actor: principal.subject, tenantId, clientId: client.id });
    return { ...clientView(client), ...(secret ? { clientSecret: secret } : {}) };
  }

  async disable(principal: Principal, id: string): Promise<ClientView> {
    const client = await this.inReach(principal, id);
    client.status = 'disabled';
    await this.clients.save(client);
    this.lookup.forget(id);
    await this.revocations.client(id);
    await this.audit.record({
      type: 'admin.client.disabled',
      outcome: 'success',
      actor: principal.subject,
      tenantId: client.tenantId ?? undefined,
      clientId: id,
    });
    return clientView(client);
  }

  /** A new secret, shown once; the old one stops working at once. */
  async rotateSecret(principal: Principal, id: string): Promise<ClientWithSecret> {
    const client = await this.inReach(principal, id);
    if (client.secretHash === null) throw new DomainError('invalid_request', 'public client', {}, 'A public client has no secret.');
    const secret = generateClientSecret();
    client.secretHash = hashClientSecret(secret);
    client.secretRotatedAt = new Date();
    await this.clients.save(client);
    this.lookup.forget(id);
    // The old secret stops at once, and so do the tokens it obtained.
    await this.revocations.client(id);
    await this.audit.record({
      type: 'admin.client.secret_rotated',
      outcome: 'success',
      actor: principal.subject,
      tenantId: client.tenantId ?? undefined,
      clientId: id,
    });
    return { ...clientView(client), clientSecret: secret };
  }

  /** A tenant's client, whoever creates it, stays within the API audience and the tenant's allowed scopes. */
  private async withinTenant(principal: Principal, input: CreateClientDto, tenantId: string): Promise<void> {
    const tenant = await this.tenants.find(tenantId);
    if (!tenant) throw new DomainError('not_found', `tenant ${tenantId}`);
    const bounds = { apiAudience: this.settings.API_AUDIENCE, tenantScopes: allowedScopesOf(tenant, this.settings.tenantClientScopes) };
    const problem = tenantClientProblem(bounds, input.audience, input.scopes);
    if (problem) await this.refuse(principal, input, tenantId, problem);
  }

  /** Refusals of privileges a caller may not grant are audited: they are what an attack looks like. */
  private async refuse(principal: Principal, input: CreateClientDto, tenantId: string | undefined, reason: string): Promise<never> {
    await this.audit.record({
      type: 'admin.client.refused',
      outcome: 'failure',
      actor: principal.subject,
      tenantId,
      clientId: input.clientId,
      details: { reason, audience: input.audience ?? null, scopes: input.scopes, introspect: input.introspect ?? false },
    });
    throw new DomainError('forbidden', `${principal.subject}: ${reason}`, {}, `A tenant's client cannot have this: ${reason}.`);
  }

  // Another tenant's client reads as absent, so tenant administrators cannot probe client ids.
  private async inReach(principal: Principal, id: string): Promise<ClientEntity> {
    const reach = adminReachOf(principal);
    const client = await this.clients.findOneBy({ id });
    if (!client || (reach.kind === 'tenant' && client.tenantId !== reach.tenantId)) throw new DomainError('not_found', `client ${id}`);
    return client;
  }
}
