import { StreamStateCell as StreamStateCell_1c1aa0a5d55c4a14cf3cb9c07a88641d } from 'payload-plugin-livekit/client'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "payload-plugin-livekit/client#StreamStateCell": StreamStateCell_1c1aa0a5d55c4a14cf3cb9c07a88641d,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
