import { Setting } from '@gatehouse/config';
import { ResourceServerSettings } from '@gatehouse/security';
import { IsOptional, IsString, MinLength } from 'class-validator';

/** The users service: a resource service, with the settings every one has. */
export class UsersSettings extends ResourceServerSettings {
  /** Secret of the `users-service` client, for the calls users makes to other services. */
  @Setting('secret') @IsOptional() @IsString() @MinLength(16) USERS_SERVICE_SECRET?: string;

  override serviceSecret(): string | undefined {
    return this.USERS_SERVICE_SECRET;
  }
}
