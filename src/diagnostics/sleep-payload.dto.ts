import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { AnyJsonProperty } from '../common/openapi/any-json.js';
import { IsBoolean, IsDefined, IsInt, IsOptional, Max, Min } from 'class-validator';

@ApiSchema({ description: 'The payload of a `sleep` job' })
export class SleepPayloadDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 3_600_000, default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  ms?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 1, description: 'Progress is reported after each step' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  steps?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100, default: 0, description: 'The first N attempts fail' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  failAttempts?: number;

  @AnyJsonProperty('Any JSON; echoed as the result')
  @IsOptional()
  @IsDefined()
  result?: unknown;

  @ApiPropertyOptional({
    default: false,
    description: 'Sleep through cancellation and lease loss, like a CPU-bound handler that never looks at its signal',
  })
  @IsOptional()
  @IsBoolean()
  ignoreAbort?: boolean;
}
