import { IsOptional, IsString, Length } from 'class-validator';

/** The form of a registry request: the client may authenticate in the body (client_secret_post). */
export class RegistryFormDto {
  @IsOptional() @IsString() @Length(1, 200) client_id?: string;
  @IsOptional() @IsString() @Length(1, 500) client_secret?: string;
}
