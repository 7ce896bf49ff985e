import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { ApiPrincipal } from '../auth/api-keys.js';
import { Writers } from '../auth/access.decorator.js';
import { Caller } from '../auth/caller.decorator.js';
import { DescribedProblemResponses } from '../common/problem/problem-responses.decorator.js';
import { FormUploads } from './form-uploads.js';
import { FORM_FILE_FIELD } from './receive-form-file.js';

export const FORM_UPLOAD_PATH = '/uploads/form';

export class FormUploadDto {
  @ApiProperty({ format: 'uuid', description: 'Name it in a job (e.g. `video.transcode`’s `uploadId`)' }) uploadId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) sizeBytes!: number;
  @ApiProperty({ description: 'The upload as a tus resource (HEAD, GET, DELETE)', example: '/uploads/3f0c…' }) location!: string;
}

@ApiTags('uploads')
@Writers()
@Controller()
export class FormUploadController {
  constructor(private readonly forms: FormUploads) {}

  @Post(FORM_UPLOAD_PATH)
  @HttpCode(201)
  @ApiOperation({
    operationId: 'uploadFile',
    summary: 'Upload a small file in one multipart/form-data request',
    description:
      'A convenience beside the resumable path (tus 1.0 at /uploads, for large files and bad networks): the ' +
      `part named "${FORM_FILE_FIELD}" becomes a finished upload of the caller’s tenant, at most UPLOAD_FORM_MAX_BYTES.`,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: [FORM_FILE_FIELD], properties: { [FORM_FILE_FIELD]: { type: 'string', format: 'binary' } } } })
  @ApiCreatedResponse({ type: FormUploadDto })
  @DescribedProblemResponses({ 400: 'No non-empty `file` part, or not a multipart body', 413: 'The file is over UPLOAD_FORM_MAX_BYTES', 415: 'The body is not multipart/form-data' }, 400, 413, 415)
  async upload(@Req() request: FastifyRequest, @Caller() caller: ApiPrincipal): Promise<FormUploadDto> {
    const { uploadId, sizeBytes } = await this.forms.receive(caller.tenant, request.raw);
    return { uploadId, sizeBytes, location: `/uploads/${uploadId}` };
  }
}
