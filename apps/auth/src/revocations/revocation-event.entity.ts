import type { RevocationKind } from '@gatehouse/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

const asNumber = { to: (value: unknown) => value, from: (value: string | number) => Number(value) };

/** One event of the revocation feed, kept until no token it covers can still be valid. */
@Entity({ name: 'revocation_events' })
export class RevocationEventEntity {
  // bigint comes back as a string; sequences stay far below 2^53.
  @PrimaryColumn({ type: 'bigint', generated: 'increment', transformer: asNumber })
  seq!: number;

  @Column({ type: 'text' })
  kind!: RevocationKind;

  @Column({ type: 'text' })
  value!: string;

  @Column({ name: 'issued_before', type: 'timestamptz' })
  issuedBefore!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
