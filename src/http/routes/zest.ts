import type { FastifyInstance } from 'fastify';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import type { Gatehouse } from '../../gatehouse.js';
import { describeServer } from '../../zest/describe-server.js';
import { writeSchemaXml } from '../../zest/write-xml.js';

/** This server described in ZEST (spec §13), written once at start from the definitions the endpoints check against. */
export function zestRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const document = writeSchemaXml(describeServer(gatehouse));
  app.get(ENDPOINT_PATHS.zestSchema, async (_request, reply) =>
    reply.headers({ 'cache-control': 'public, max-age=300' }).type('application/xml; charset=utf-8').send(document),
  );
}
