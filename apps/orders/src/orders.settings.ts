import { Setting } from '@gatehouse/config';
import { ResourceServerSettings } from '@gatehouse/security';
import { IsOptional, IsString, MinLength } from 'class-validator';

/** The orders service: a resource service that calls users with its own service token. */
export class OrdersSettings extends ResourceServerSettings {
  /** Secret of the `orders-service` client (scope `users:read`, audience `users`). */
  @Setting('secret') @IsOptional() @IsString() @MinLength(16) ORDERS_SERVICE_SECRET?: string;

  override serviceSecret(): string | undefined {
    return this.ORDERS_SERVICE_SECRET;
  }
}
