import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'payload.ms' }) field: string;
  @ApiProperty({ example: 'ms must not be greater than 3600000' }) message: string;
}

/** RFC 9457. Members beyond the standard five are extensions; clients must ignore those they do not know. */
@ApiSchema({ description: 'An RFC 9457 problem (application/problem+json); `type` is stable, match on it' })
export class ProblemDto {
  @ApiProperty({ format: 'uri', example: 'https://longhaul.dev/problems/validation' }) type: string;
  @ApiProperty({ example: 'Request validation failed' }) title: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 }) status: number;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional({ example: '/jobs', description: 'The request path' }) instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: '400: each invalid field (at most 20; `moreErrors` counts the rest)' }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ type: 'integer', description: '400: validation errors not listed in `errors`' }) moreErrors?: number;
  @ApiPropertyOptional({ type: [String], description: '422 unknown-job-type: the registered job types' }) knownTypes?: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'The job the problem is about (idempotency conflicts)' }) jobId?: string;
  @ApiPropertyOptional({ example: 'RUNNING', description: 'The job status that caused a 409' }) jobStatus?: string;
  @ApiPropertyOptional({ format: 'date-time', description: '410 result-expired: when the result expired' }) expiredAt?: string;
  @ApiPropertyOptional({ example: 'delivering', description: '409 webhook-delivery-in-progress: the delivery status' }) deliveryStatus?: string;
  @ApiPropertyOptional({ type: 'integer', description: '503: the Retry-After header, in seconds' }) retryAfterSeconds?: number;
  @ApiPropertyOptional({ format: 'uuid', description: 'Present on 500s; quote it when reporting' }) errorId?: string;
}
