import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsDefined, IsInt, Max, Min } from 'class-validator';
import { AnyJsonProperty } from '../common/openapi/any-json.js';
import { Optional } from '../common/validation/optional.js';

@ApiSchema({ description: 'The payload of a `sleep` job' })
export class SleepPayloadDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 3_600_000, default: 0 })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  ms?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 1, description: 'Progress is reported after each step' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(1000)
  steps?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100, default: 0, description: 'The first N attempts fail' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(100)
  failAttempts?: number;

  @AnyJsonProperty('Any JSON; echoed as the result')
  @Optional()
  @IsDefined()
  result?: unknown;

  @ApiPropertyOptional({
    default: false,
    description: 'Sleep through cancellation and lease loss, like a CPU-bound handler that never looks at its signal',
  })
  @Optional()
  @IsBoolean()
  ignoreAbort?: boolean;
}
