import { Module } from '@nestjs/common';
import { keyEncryptionProvider } from './encryption-secret';
import { JwksController } from './jwks.controller';
import { KeyRotationSchedule } from './key-rotation.schedule';
import { KeyStore } from './key-store.service';
import { KeyTransitions } from './key-transitions';
import { KeysClock } from './keys-clock';
import { SigningKeyAgeMetric } from './signing-key-age.metric';

/** Signing keys: the store others sign and verify with, and the JWKS endpoint. */
@Module({
  controllers: [JwksController],
  providers: [KeysClock, keyEncryptionProvider, KeyTransitions, KeyStore, KeyRotationSchedule, SigningKeyAgeMetric],
  exports: [KeyStore],
})
export class KeysModule {}
