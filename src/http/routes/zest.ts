import type { FastifyInstance } from 'fastify';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import type { Gatehouse } from '../../gatehouse.js';
import { describeServer } from '../../zest/describe-server.js';
import { writeSchemaXml } from '../../zest/write-xml.js';
import { requestDataCenter } from '../data-center.js';

/**
 * This server described in ZEST (spec §13), written once at start from the definitions the endpoints check against:
 * one document per data centre, naming that DC's accounts server, as its discovery documents do.
 */
export function zestRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const { dataCenters } = gatehouse.config;
  const { scopes, grants } = gatehouse;
  const documents = new Map(
    dataCenters.all.map((dc) => [dc, writeSchemaXml(describeServer({ config: { issuer: dc.issuer }, scopes, grants }))]),
  );
  app.get(ENDPOINT_PATHS.zestSchema, async (request, reply) =>
    reply
      .headers({ 'cache-control': 'public, max-age=300' })
      .type('application/xml; charset=utf-8')
      .send(documents.get(requestDataCenter(request, dataCenters))!),
  );
}
