import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { ApiPrincipal } from '../auth/api-keys.js';
import { AdminOnly } from '../auth/access.decorator.js';
import { Caller } from '../auth/caller.decorator.js';
import { Audited } from '../common/audit/audited.decorator.js';
import { UuidOr404 } from '../common/validation/uuid-or-404.pipe.js';
import { ProblemResponses } from '../common/problem/problem-responses.decorator.js';
import type { ManagedKey } from './api-keys.repository.js';
import { ApiKeyDto, ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto } from './dto/api-key.dto.js';
import { ManagedApiKeys, keyNotFound } from './managed-api-keys.js';

const toDto = (key: ManagedKey): ApiKeyDto => ({
  id: key.id,
  label: key.label,
  role: key.role,
  tenant: key.tenant,
  createdBy: key.createdBy,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
});


/** API keys managed at run time, next to the ones from API_KEYS (which cannot be changed here). */
@ApiTags('api-keys')
@AdminOnly()
@Controller('admin/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ManagedApiKeys) {}

  @Post()
  @Audited({ action: 'apikey.create', details: ({ answer }) => ({ label: (answer as ApiKeyDto).label, role: (answer as ApiKeyDto).role }) })
  @ApiOperation({ operationId: 'createApiKey', summary: 'Create an API key; its secret is in this answer only' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  @ProblemResponses(400, 409)
  async create(@Body() body: CreateApiKeyDto, @Caller() caller: ApiPrincipal): Promise<CreatedApiKeyDto> {
    const { key, secret } = await this.keys.create(body, caller.name);
    return { ...toDto(key), key: secret };
  }

  @Get()
  @ApiOperation({ operationId: 'listApiKeys', summary: 'The managed API keys, newest first (never their secrets)' })
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(): Promise<ApiKeyListDto> {
    return { items: (await this.keys.list()).map(toDto) };
  }

  @Delete(':id')
  @Audited({ action: 'apikey.delete' })
  @HttpCode(204)
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @ApiOperation({ operationId: 'deleteApiKey', summary: 'Delete an API key; every node refuses it within seconds' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ProblemResponses(404)
  async delete(@Param('id', new UuidOr404(keyNotFound)) id: string): Promise<void> {
    await this.keys.delete(id);
  }
}
