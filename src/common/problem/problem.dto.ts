import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'payload.ms' }) field: string;
  @ApiProperty({ example: 'ms must not be greater than 3600000' }) message: string;
}

export class ProblemDto {
  @ApiProperty({ example: 'https://longhaul.dev/problems/validation' }) type: string;
  @ApiProperty({ example: 'Request validation failed' }) title: string;
  @ApiProperty({ example: 400 }) status: number;
  @ApiPropertyOptional() detail?: string;
  @ApiPropertyOptional({ example: '/jobs' }) instance?: string;
  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'At most 20; `moreErrors` counts the rest' }) errors?: FieldErrorDto[];
  @ApiPropertyOptional({ description: 'Validation errors not listed in `errors`' }) moreErrors?: number;
  @ApiPropertyOptional({ type: [String] }) knownTypes?: string[];
  @ApiPropertyOptional({ format: 'uuid', description: 'The job the problem is about (idempotency conflicts)' }) jobId?: string;
  @ApiPropertyOptional({ example: 'RUNNING', description: 'The job status that caused a 409' }) jobStatus?: string;
  @ApiPropertyOptional({ description: 'Present on 500s; quote it when reporting' }) errorId?: string;
}
