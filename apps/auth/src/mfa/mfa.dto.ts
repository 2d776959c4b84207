import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** A second factor as typed: a TOTP code, or (to disable) a recovery code. */
export class MfaCodeDto {
  @ApiProperty({ example: '123456', description: 'A TOTP code (6 digits); to disable, a recovery code also does' })
  @IsString()
  @Matches(/^[A-Za-z0-9 -]{6,32}$/)
  code!: string;
}

export class TotpOfferResponse {
  @ApiProperty({ description: 'The shared secret, base32 (RFC 4648), for typing into an authenticator app' }) secret!: string;
  @ApiProperty({ description: 'The Key Uri Format (otpauth://totp/...) a QR code carries' }) otpauth_uri!: string;
}

export class RecoveryCodesResponse {
  @ApiProperty({ type: [String], description: 'Ten single-use recovery codes, shown only now' }) recovery_codes!: string[];
}
