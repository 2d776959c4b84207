import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsEmail, IsOptional, Matches, MaxLength } from 'class-validator';

/** `PATCH /admin/users/:id`: the fields given change, the others stay. The username never changes (logins and devices name it). */
export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'alice@acme.test' }) @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional({ example: ['admin'], description: 'Replaces the roles; removing one revokes the access tokens issued with it' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @ArrayUnique()
  @Matches(/^[a-z][a-z0-9:_-]{0,63}$/, { each: true })
  roles?: string[];
}
