import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export function setUpSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('longhaul')
    .setDescription(
      'Long-running asynchronous jobs: submit → 202 Accepted → follow by polling, Server-Sent Events or webhooks → fetch the result. Errors are application/problem+json (RFC 9457).',
    )
    .setVersion('0.1.0')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
