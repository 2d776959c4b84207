import type { ScanCase } from '../case';
import { ALG_NONE, HMAC_KEY_CONFUSION, PSYCHIC_SIGNATURE } from './algorithm';
import { CLAIM_CASES } from './claims';
import { HEADER_CASES } from './header';
import { KEY_SOURCE_CASES } from './key-source';
import { REQUEST_CASES } from './request';
import { SERIALIZATION_CASES } from './serialization';
import { SIGNATURE_CASES } from './signature';

/** The attack catalogue, in the order the report lists it. */
export const CATALOGUE: readonly ScanCase[] = [
  ...ALG_NONE,
  ...SIGNATURE_CASES,
  ...HMAC_KEY_CONFUSION,
  PSYCHIC_SIGNATURE,
  ...KEY_SOURCE_CASES,
  ...HEADER_CASES,
  ...SERIALIZATION_CASES,
  ...REQUEST_CASES,
  ...CLAIM_CASES,
];
