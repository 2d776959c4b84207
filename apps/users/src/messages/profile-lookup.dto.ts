import type { ProfileBatchLookup, ProfileLookup, UserRegistered } from '@gatehouse/contracts';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEmail, IsISO8601, IsString, Length } from 'class-validator';

export class ProfileLookupDto implements ProfileLookup {
  @IsString() @Length(1, 100) tenantId!: string;
  @IsString() @Length(1, 200) id!: string;
}

export class ProfileBatchLookupDto implements ProfileBatchLookup {
  @IsString() @Length(1, 100) tenantId!: string;
  @IsArray() @ArrayMaxSize(100) @ArrayUnique() @IsString({ each: true }) @Length(1, 200, { each: true }) ids!: string[];
}

export class UserRegisteredDto implements UserRegistered {
  @IsString() @Length(1, 100) tenantId!: string;
  @IsString() @Length(1, 200) accountId!: string;
  @IsString() @Length(1, 200) username!: string;
  @IsEmail() email!: string;
  @IsISO8601() registeredAt!: string;
}
