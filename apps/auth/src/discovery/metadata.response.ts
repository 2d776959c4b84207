import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';

const strings: ApiPropertyOptions = { type: [String] };

/** RFC 8414 authorization server metadata, also served as the OpenID Connect discovery document. */
export class AuthorizationServerMetadata {
  @ApiProperty() issuer!: string;
  @ApiProperty() authorization_endpoint!: string;
  @ApiProperty() token_endpoint!: string;
  @ApiProperty() userinfo_endpoint!: string;
  @ApiProperty() end_session_endpoint!: string;
  @ApiProperty() jwks_uri!: string;
  @ApiProperty() introspection_endpoint!: string;
  @ApiProperty() revocation_endpoint!: string;
  @ApiProperty(strings) grant_types_supported!: string[];
  @ApiProperty(strings) token_endpoint_auth_methods_supported!: string[];
  @ApiProperty(strings) introspection_endpoint_auth_methods_supported!: string[];
  @ApiProperty(strings) revocation_endpoint_auth_methods_supported!: string[];
  @ApiProperty(strings) access_token_signing_alg_values_supported!: string[];
  @ApiProperty(strings) response_types_supported!: string[];
  @ApiProperty(strings) response_modes_supported!: string[];
  @ApiProperty(strings) subject_types_supported!: string[];
  @ApiProperty(strings) id_token_signing_alg_values_supported!: string[];
  @ApiProperty(strings) code_challenge_methods_supported!: string[];
  @ApiProperty(strings) prompt_values_supported!: string[];
  @ApiProperty(strings) scopes_supported!: string[];
  @ApiProperty(strings) claims_supported!: string[];
  @ApiProperty(strings) acr_values_supported!: string[];
  @ApiProperty({ description: 'RFC 9207' }) authorization_response_iss_parameter_supported!: boolean;
}
