/** The growth module's API as the consoles use it: the newbie village, incentives and programmes. */
import { api, type BodyOf, type ResponseOf } from '../api/client.ts';

export type Village = ResponseOf<'/merchant/growth/village', 'get'>;
export type VillageStep = Village['steps'][number];
export type Incentive = ResponseOf<'/merchant/growth/incentives', 'get'>['items'][number];
export type Programme = ResponseOf<'/ops/growth/programmes', 'get'>['items'][number];
export type ProgrammeInput = BodyOf<'/ops/growth/programmes', 'post'>;
export type ProgrammePatch = BodyOf<'/ops/growth/programmes/{id}', 'patch'>;

const id = (programmeId: string) => ({ path: { id: programmeId } });

export const growthApi = {
  village: (signal?: AbortSignal) => api.get('/merchant/growth/village', { signal }),
  incentives: async (signal?: AbortSignal) =>
    (await api.get('/merchant/growth/incentives', { signal })).items,
  programmes: async (signal?: AbortSignal) => (await api.get('/ops/growth/programmes', { signal })).items,
  createProgramme: (body: ProgrammeInput) => api.post('/ops/growth/programmes', { body }),
  updateProgramme: (programmeId: string, body: ProgrammePatch) =>
    api.patch('/ops/growth/programmes/{id}', { params: id(programmeId), body }),
  programmeIncentives: async (programmeId: string, signal?: AbortSignal) =>
    (await api.get('/ops/growth/programmes/{id}/incentives', { params: id(programmeId), signal })).items,
};
