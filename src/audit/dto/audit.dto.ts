import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/page.query.js';
import { Optional } from '../../common/validation/optional.js';

/** ?action=&actor=&tenant=&from=&to=&cursor=&limit= of the audit trail. */
export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'dlq.replay', description: 'Only this action' })
  @Optional()
  @IsString()
  @Matches(/^[a-z][a-z0-9._-]{0,63}$/, { message: 'action must be an action name such as dlq.replay' })
  action?: string;

  @ApiPropertyOptional({ description: 'Only actions by this key (its name or label)' })
  @Optional()
  @IsString()
  @MaxLength(64)
  actor?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only rows written at or after this time' })
  @Optional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only rows written before this time' })
  @Optional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time', description: 'When, by the database clock' }) at: string;
  @ApiProperty({ description: 'The API key that acted (its name or label)' }) actor: string;
  @ApiProperty() actorRole: string;
  @ApiProperty({ description: 'The tenant acted in' }) tenant: string;
  @ApiProperty({ example: 'dlq.replay' }) action: string;
  @ApiProperty({ nullable: true, type: String, description: 'What was acted on (a job, subscription, schedule or key id)' }) target: string | null;
  @ApiProperty({ nullable: true, type: String }) remoteAddress: string | null;
  @ApiProperty({ nullable: true, type: String }) requestId: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) details: Record<string, unknown> | null;
}

export class AuditListDto {
  @ApiProperty({ type: [AuditEntryDto] }) items: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
