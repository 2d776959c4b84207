import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Length, Matches, Max, Min } from 'class-validator';

export class UpdateProfileDto {
  @IsOptional() @IsString() @Length(1, 100) displayName?: string;
  /** BCP 47, e.g. `en`, `fr-CA`. */
  @IsOptional() @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'locale must be a BCP 47 tag such as en or fr-CA' }) locale?: string;
  @IsOptional() @IsUrl({ protocols: ['https'], require_protocol: true }) @Length(1, 2000) avatarUrl?: string;
}

export class ListProfilesQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit: number = 20;
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset: number = 0;
}
