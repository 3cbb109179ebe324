import type { FastifyInstance } from 'fastify';
import { routeActor, signedIn } from '../../platform/auth.ts';
import { errorResponse } from '../../platform/openapi.ts';
import { idParam, zodApi } from '../../platform/routes.ts';
import {
  incentivesSchema,
  programmeInputSchema,
  programmePatchSchema,
  programmeSchema,
  programmesSchema,
  villageSchema,
} from './api-schema.ts';
import type { GrowthService } from './service.ts';

const tags = ['growth'];

export function growthRoutes(growth: GrowthService) {
  return async (fastify: FastifyInstance) => {
    const app = zodApi(fastify);

    app.get(
      '/merchant/growth/village',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'getMyVillage',
          summary: "My store's newbie village: each step, whether it is done, and its reward",
          response: { 200: villageSchema.describe('The steps and the progress') },
        },
      },
      async (req) => growth.myVillage(routeActor(req)),
    );

    app.get(
      '/merchant/growth/incentives',
      {
        config: signedIn('merchant'),
        schema: {
          tags,
          operationId: 'listMyIncentives',
          summary: 'What my store earned in each incentive programme, and why',
          response: { 200: incentivesSchema.describe("The store's incentives") },
        },
      },
      async (req) => ({ items: await growth.myIncentives(routeActor(req)) }),
    );

    app.get(
      '/ops/growth/programmes',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listIncentiveProgrammes',
          summary: 'Incentive programmes with their budget used',
          response: { 200: programmesSchema.describe('Every programme, newest first') },
        },
      },
      async (req) => ({ items: await growth.programmes(routeActor(req)) }),
    );

    app.post(
      '/ops/growth/programmes',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'createIncentiveProgramme',
          summary: 'Create an incentive programme (active at once)',
          body: programmeInputSchema,
          response: { 201: programmeSchema.describe('The programme') },
        },
      },
      async (req, reply) => reply.status(201).send(await growth.createProgramme(routeActor(req), req.body)),
    );

    app.patch(
      '/ops/growth/programmes/:id',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'updateIncentiveProgramme',
          summary: 'Change a programme: name, terms, budget, or pause/end/resume it',
          params: idParam,
          body: programmePatchSchema,
          response: {
            200: programmeSchema.describe('The programme'),
            409: errorResponse('The budget would be less than what was already paid (`budget_below_paid`)'),
          },
        },
      },
      async (req) => growth.updateProgramme(routeActor(req), req.params.id, req.body),
    );

    app.get(
      '/ops/growth/programmes/:id/incentives',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'listProgrammeIncentives',
          summary: "A programme's stores: what each earned and was paid",
          params: idParam,
          response: { 200: incentivesSchema.describe("The programme's incentives") },
        },
      },
      async (req) => ({ items: await growth.programmeIncentives(routeActor(req), req.params.id) }),
    );

    app.get(
      '/ops/growth/stores/:id/village',
      {
        config: signedIn('operator'),
        schema: {
          tags,
          operationId: 'getStoreVillage',
          summary: "A store's newbie village (operators)",
          params: idParam,
          response: { 200: villageSchema.describe('The steps and the progress') },
        },
      },
      async (req) => growth.storeVillage(routeActor(req), req.params.id),
    );
  };
}
