import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import {
  addChannelMember,
  createChannel,
  listChannels,
  readChannel,
  removeChannelMember,
} from '../../../service/channels.js';
import {
  ADMIN,
  adminErrors,
  Channel,
  ChannelFilter,
  ChannelList,
  ChannelParams,
  MemberParams,
  NewChannel,
} from '../../schemas/admin.js';
import { ADMIN_PREFIX, adminChange } from './operator.js';

export default async function channels(parent: FastifyInstance) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/channels',
    {
      schema: {
        ...ADMIN,
        summary: 'Create a channel',
        description: 'Members must be accounts of the same company.',
        body: NewChannel,
        response: { 201: Channel, ...adminErrors },
      },
    },
    async (request, reply) => {
      const channel = await createChannel(app.store.db, request.body, adminChange(app));
      reply.header('location', `${ADMIN_PREFIX}/channels/${channel.channelId}`);
      return reply.code(201).send(channel);
    },
  );

  app.get(
    '/channels',
    {
      schema: {
        ...ADMIN,
        summary: "List a company's channels",
        querystring: ChannelFilter,
        response: { 200: ChannelList, ...adminErrors },
      },
    },
    async (request) => ({ channels: await listChannels(app.store.db, request.query.companyId) }),
  );

  app.get(
    '/channels/:channelId',
    {
      schema: {
        ...ADMIN,
        summary: 'Read a channel',
        params: ChannelParams,
        response: { 200: Channel, ...adminErrors },
      },
    },
    async (request) => readChannel(app.store.db, request.params.channelId),
  );

  app.put(
    '/channels/:channelId/members/:email',
    {
      schema: {
        ...ADMIN,
        summary: 'Add a member to a channel',
        description: 'Idempotent: adding a member twice keeps one membership. Answers the channel.',
        params: MemberParams,
        response: { 200: Channel, ...adminErrors },
      },
    },
    async (request) => addChannelMember(app.store.db, request.params.channelId, request.params.email, adminChange(app)),
  );

  app.delete(
    '/channels/:channelId/members/:email',
    {
      schema: {
        ...ADMIN,
        summary: 'Remove a member from a channel',
        description: 'Idempotent: removing an account that is not a member succeeds too.',
        params: MemberParams,
        response: { 204: Type.Null({ description: 'Removed.' }), ...adminErrors },
      },
    },
    async (request, reply) => {
      await removeChannelMember(app.store.db, request.params.channelId, request.params.email, adminChange(app));
      return reply.code(204).send(null);
    },
  );
}
