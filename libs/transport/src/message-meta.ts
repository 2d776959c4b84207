import type { ExecutionContext } from '@nestjs/common';
import { ClientNats, type ClientProxy, type Deserializer, NatsContext, NatsRecordBuilder } from '@nestjs/microservices';
import { headers as natsHeaders, type MsgHdrs } from 'nats';

/** What travels beside a message's payload: the caller's service token and the request id. */
export interface MessageMeta {
  /** `Bearer <service token>`. */
  authorization?: string;
  requestId?: string;
  /** The W3C `traceparent` of the request that caused the message, when it had a valid one. */
  traceparent?: string;
}

/** TCP has no headers: the meta rides in an envelope around the payload under this key. */
export const ENVELOPE_KEY = '__gatehouse';

interface Envelope {
  [ENVELOPE_KEY]: MessageMeta;
  data: unknown;
}

// The TCP server unwraps the envelope before any handler sees the payload, and keeps the meta
// beside the payload object it hands on, for the guard to find.
const unwrapped = new WeakMap<object, MessageMeta>();

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && ENVELOPE_KEY in value && 'data' in value;
}

/** The payload as sent by `client`: a NATS record with headers, or the TCP envelope. */
export function withMeta(client: ClientProxy, payload: unknown, meta: MessageMeta): unknown {
  if (client instanceof ClientNats) {
    const headers = natsHeaders();
    if (meta.authorization) headers.set('authorization', meta.authorization);
    if (meta.requestId) headers.set('x-request-id', meta.requestId);
    if (meta.traceparent) headers.set('traceparent', meta.traceparent);
    return new NatsRecordBuilder(payload).setHeaders(headers).build();
  }
  return { [ENVELOPE_KEY]: meta, data: payload } satisfies Envelope;
}

/** The meta of the message a handler is about to answer (NATS headers, or the TCP envelope). */
export function metaOf(context: ExecutionContext): MessageMeta {
  const rpc = context.switchToRpc();
  const carrier = rpc.getContext<unknown>();
  if (carrier instanceof NatsContext) {
    const headers = carrier.getHeaders() as MsgHdrs | undefined;
    return {
      authorization: headers?.get('authorization') || undefined,
      requestId: headers?.get('x-request-id') || undefined,
      traceparent: headers?.get('traceparent') || undefined,
    };
  }
  const data = rpc.getData<unknown>();
  return (typeof data === 'object' && data !== null && unwrapped.get(data)) || {};
}

interface TcpPacket {
  pattern: unknown;
  data?: unknown;
  id?: string;
}

/** The TCP server's deserializer: takes the envelope off, so handlers receive the bare payload. */
export class EnvelopeDeserializer implements Deserializer<TcpPacket, TcpPacket> {
  deserialize(packet: TcpPacket): TcpPacket {
    if (!isEnvelope(packet.data)) return packet;
    const { data } = packet.data;
    if (typeof data === 'object' && data !== null) unwrapped.set(data, packet.data[ENVELOPE_KEY]);
    return { ...packet, data };
  }
}
