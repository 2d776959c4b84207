import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pageHeaders } from './page-layout';

/** What the sign-in endpoints answer a browser: a page or a redirect, with the cookies to set. */
export type BrowserAnswer =
  | { kind: 'page'; status: number; html: string; cookies: string[]; headers?: Record<string, string>; formTargets?: string[] }
  | { kind: 'redirect'; location: string; cookies: string[] };

/** 303 after a form post (RFC 9700 section 4.12: a 307 would re-post the password), 302 after a GET. */
export function send(reply: FastifyReply, answer: BrowserAnswer, afterPost: boolean): void {
  if (answer.cookies.length > 0) void reply.header('set-cookie', answer.cookies);
  if (answer.kind === 'redirect') {
    void reply
      .status(afterPost ? 303 : 302)
      .header('location', answer.location)
      .header('cache-control', 'no-store')
      .send();
    return;
  }
  void reply
    .status(answer.status)
    .headers({ ...pageHeaders(answer.formTargets), ...answer.headers })
    .send(answer.html);
}

/** The query or the form as sent, unvalidated: the sign-in endpoints read it themselves. */
export const RawParameters = createParamDecorator((from: 'query' | 'body', context: ExecutionContext): Record<string, unknown> => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const source = from === 'query' ? request.query : request.body;
  return source && typeof source === 'object' ? (source as Record<string, unknown>) : {};
});
