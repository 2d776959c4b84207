// The sealing itself is shared with the gateway's internal keys; auth's keys use its defaults.
export { KeyDecryptionError, KeyEncryption } from '@gatehouse/security';
