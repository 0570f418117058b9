/**
 * Collectives as communication libraries run them, for `efficiency: expected`: NCCL's ring with
 * its two protocols (low-latency for small messages, simple for large), the all-reduce kernels
 * serving engines run themselves over NVLink and xGMI (one-shot and two-shot, for messages that fit
 * their buffer, NCCL above), and, past the devices one fabric connects, ring steps over the
 * scale-out network (constants and sources in constants.ts).
 */
import type { CollectiveShape } from '../roofline';
import type { FabricKind, InterconnectSpec, NcclRingFigures } from '../types';
import { COLLECTIVE_CONSTANTS as C, DEFAULT_SCALE_OUT } from './constants';

type HopKind = 'nvlink' | 'pcie';

function hopKindOf(fabric: FabricKind | undefined): HopKind {
  return fabric === undefined || fabric === 'pcie' ? 'pcie' : 'nvlink';
}

/** Fabrics on which every device of the domain reads its peers' memory directly. */
function peerToPeer(fabric: FabricKind | undefined): boolean {
  return fabric === 'nvswitch' || fabric === 'nvlink' || fabric === 'xgmi';
}

interface Layout {
  devices: number;
  nodes: number;
  /** Latency of one ring step inside a domain and across domains. */
  hopSeconds: number;
  networkHopSeconds: number;
  /** Bytes per second one device moves per direction in NCCL's ring, simple protocol (the slowest link on it). */
  busBytesPerSecond: number;
  /** The same with the low-latency (LL) protocol. */
  lowLatencyBusBytesPerSecond: number;
  /** Time per ring step of the simple protocol inside a domain. */
  simpleStepSeconds: number;
  /** Bytes per second a single kernel's collective moves per direction inside a domain. */
  intraBytesPerSecond: number;
  /** Bytes per second a serving engine's own all-reduce kernel moves over the fabric. */
  customBytesPerSecond: number;
  hopKind: HopKind;
}

function layoutOf(devices: number, link: InterconnectSpec, customLinkEfficiency: number, measuredRing: NcclRingFigures | undefined): Layout {
  const domain = Math.max(1, link.domainDevices ?? devices);
  const nodes = Math.ceil(devices / domain);
  const hopKind = hopKindOf(link.fabric);
  const intraBytesPerSecond = C.linkEfficiency * link.bandwidthBytesPerSecond;
  const scaleOut = link.scaleOut ?? DEFAULT_SCALE_OUT;
  const networkBytesPerSecond = C.linkEfficiency * scaleOut.bandwidthBytesPerSecond;
  // A family's measured ring (nccl-tests over NVLink / NVSwitch) replaces NCCL's model on those hops only.
  const ring = hopKind === 'nvlink' ? measuredRing : undefined;
  const ringIntraBytesPerSecond = (ring?.linkEfficiency ?? C.linkEfficiency) * link.bandwidthBytesPerSecond;
  const lowLatencyIntraBytesPerSecond =
    ring?.lowLatencyLinkEfficiency !== undefined ? ring.lowLatencyLinkEfficiency * link.bandwidthBytesPerSecond : ringIntraBytesPerSecond * C.lowLatencyBandwidthShare;
  return {
    devices,
    nodes,
    hopSeconds: link.latencySeconds > 0 ? link.latencySeconds : C.lowLatencyStepSeconds[hopKind],
    networkHopSeconds: scaleOut.latencySeconds,
    busBytesPerSecond: nodes > 1 ? Math.min(ringIntraBytesPerSecond, networkBytesPerSecond) : ringIntraBytesPerSecond,
    lowLatencyBusBytesPerSecond:
      nodes > 1 ? Math.min(lowLatencyIntraBytesPerSecond, networkBytesPerSecond * C.lowLatencyBandwidthShare) : lowLatencyIntraBytesPerSecond,
    simpleStepSeconds: ring?.simpleStepSeconds ?? C.simpleStepSeconds[hopKind],
    intraBytesPerSecond,
    customBytesPerSecond: customLinkEfficiency * link.bandwidthBytesPerSecond,
    hopKind,
  };
}

/** A ring of `steps` steps (`networkSteps` of them across domains) moving `volumeBytes` per device, at the faster protocol. */
function ringSeconds(layout: Layout, steps: number, networkSteps: number, volumeBytes: number): number {
  const intraSteps = steps - networkSteps;
  const lowLatency =
    C.lowLatencyBaseSeconds +
    intraSteps * layout.hopSeconds +
    networkSteps * layout.networkHopSeconds +
    volumeBytes / layout.lowLatencyBusBytesPerSecond;
  const simple =
    C.simpleBaseSeconds +
    intraSteps * layout.simpleStepSeconds +
    networkSteps * C.simpleStepSeconds.network +
    volumeBytes / layout.busBytesPerSecond;
  return Math.min(lowLatency, simple);
}

/** One kernel reading all p − 1 peers at once: one base latency, one hop per peer, (p − 1) × bytes over the link. */
function oneShotSeconds(layout: Layout, bytesFromPeers: number, bytesPerSecond = layout.intraBytesPerSecond): number {
  return C.baseSeconds + (layout.devices - 1) * layout.hopSeconds + bytesFromPeers / bytesPerSecond;
}

/**
 * A serving engine's own all-reduce: one-shot (every device reads all peers' whole messages) for
 * small messages, two-shot (each device reduces 1/p of the message from its peers, then gathers
 * the other reduced slices: 2(p − 1)/p of the message, two rounds of peer hops) for larger ones,
 * at the rate such kernels reach over the fabric; the engine's heuristic picks by size, here the faster.
 */
function customAllReduceSeconds(layout: Layout, messageBytes: number): number {
  const p = layout.devices;
  const oneShot = oneShotSeconds(layout, (p - 1) * messageBytes, layout.customBytesPerSecond);
  const twoShot = C.baseSeconds + 2 * (p - 1) * layout.hopSeconds + (2 * (p - 1) * messageBytes) / p / layout.customBytesPerSecond;
  return Math.min(oneShot, twoShot);
}

/** The largest message a serving engine's own all-reduce takes (its IPC buffer); larger ones go to NCCL. */
function customAllReduceMaxBytes(devices: number): number {
  return devices <= 2 ? C.customMaxBytes.twoDevices : C.customMaxBytes.more;
}

/**
 * Seconds of one collective over `link`, by the fastest algorithm the fabric allows and the engine
 * runs: `oneShot` false for engines that call NCCL for every collective (gpt-fast's
 * torch.distributed functional all_reduce) instead of a one-shot kernel of their own;
 * `measuredRing` the hardware family's measured NCCL ring over NVLink, where it has one.
 */
export function collectiveSeconds(
  collective: CollectiveShape,
  link: InterconnectSpec,
  oneShot = true,
  customLinkEfficiency: number = C.customLinkEfficiency,
  measuredRing?: NcclRingFigures,
): number {
  const p = collective.devices;
  if (p <= 1) return 0;
  const layout = layoutOf(p, link, customLinkEfficiency, measuredRing);
  const oneShotAllowed = oneShot && layout.nodes === 1 && peerToPeer(link.fabric);
  switch (collective.kind) {
    case 'all-reduce': {
      // Engines run their own kernel for messages that fit its buffer, NCCL's ring above.
      if (oneShotAllowed && collective.bytes <= customAllReduceMaxBytes(p)) return customAllReduceSeconds(layout, collective.bytes);
      return ringSeconds(layout, 2 * (p - 1), 2 * (layout.nodes - 1), (2 * (p - 1) * collective.bytes) / p);
    }
    case 'all-gather': {
      const ring = ringSeconds(layout, p - 1, layout.nodes - 1, (p - 1) * collective.bytes);
      return oneShotAllowed ? Math.min(ring, oneShotSeconds(layout, (p - 1) * collective.bytes)) : ring;
    }
    case 'all-to-all':
    case 'send': {
      // Every device exchanges with its peers at once (all-to-all) or with one (send): one step.
      const hop = layout.nodes > 1 ? layout.networkHopSeconds : layout.hopSeconds;
      return C.baseSeconds + hop + collective.bytes / layout.busBytesPerSecond;
    }
  }
}
