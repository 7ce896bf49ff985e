import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { TENANT_PATTERN } from '../tenant.js';
import { Optional } from '../validation/optional.js';

/** ?cursor=&limit= of every cursor-paginated list. */
export class PageQuery {
  @ApiPropertyOptional({ maxLength: 200, description: 'Opaque cursor from a previous page.' })
  @Optional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'Admin keys only: just this tenant’s items (admins see every tenant otherwise). Other keys may name only their own.' })
  @Optional()
  @IsString()
  @Matches(TENANT_PATTERN, { message: 'tenant must be a tenant name' })
  tenant?: string;
}
