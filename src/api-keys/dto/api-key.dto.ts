import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { API_ROLES, type ApiRole } from '../../auth/api-keys.js';
import { Optional } from '../../common/validation/optional.js';
import { TENANT_PATTERN } from '../../common/tenant.js';

export class CreateApiKeyDto {
  @ApiProperty({ pattern: '^[A-Za-z0-9._-]{1,64}$', description: 'Unique name; the key acts (and is audited) under it' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'label must be 1-64 letters, digits, ".", "_" or "-"' })
  label: string;

  @ApiProperty({ enum: API_ROLES })
  @IsIn(API_ROLES)
  role: ApiRole;

  @ApiPropertyOptional({ description: 'The tenant it acts in; default: the label' })
  @Optional()
  @IsString()
  @Matches(TENANT_PATTERN, { message: 'tenant must be a tenant name' })
  tenant?: string;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: API_ROLES }) role: ApiRole;
  @ApiProperty() tenant: string;
  @ApiProperty({ description: 'The key that created it' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Updated at most once a minute' }) lastUsedAt: string | null;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The secret: shown this once, only its digest is kept. Send it as `Authorization: Bearer <key>`.' })
  key: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) items: ApiKeyDto[];
}
