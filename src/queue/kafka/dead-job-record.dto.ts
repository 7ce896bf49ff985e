import { ApiProperty } from '@nestjs/swagger';

/** The value of the dead letter record a DEAD job leaves (its headers carry the error and the dispatch's coordinates). */
export class DeadJobRecordDto {
  @ApiProperty({ format: 'uuid' }) jobId: string;
  @ApiProperty({ example: 'report' }) type: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The payload as submitted: replay it with POST /admin/dlq/{id}/replay' })
  payload: Record<string, unknown>;
  @ApiProperty({ type: 'integer' }) maxAttempts: number;
}
