import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status: 'ok';
}

export class HealthIndicatorDto {
  @ApiProperty({ enum: ['up', 'down'] }) status: 'up' | 'down';
  @ApiPropertyOptional({ description: 'Why it is down' }) message?: string;
}

const INDICATORS = { type: 'object', additionalProperties: { $ref: '#/components/schemas/HealthIndicatorDto' }, description: 'By indicator name (database)' } as const;

/** @nestjs/terminus's answer: `info` holds the indicators that are up, `error` those that are down, `details` all of them. */
export class ReadinessDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] }) status: 'ok' | 'error' | 'shutting_down';
  @ApiPropertyOptional(INDICATORS) info?: Record<string, HealthIndicatorDto>;
  @ApiPropertyOptional(INDICATORS) error?: Record<string, HealthIndicatorDto>;
  @ApiProperty(INDICATORS) details: Record<string, HealthIndicatorDto>;
}
