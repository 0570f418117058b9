/**
 * Host links that offloaded weights and KV cache cross every step, one direction, as their
 * specifications give them. PCIe: 8 / 16 / 32 GT/s per lane × 16 lanes × 128/130 encoding ÷ 8
 * (PCI-SIG PCI Express Base Specification 3.0 / 4.0 / 5.0). NVLink-C2C: 900 GB/s both directions
 * between Grace and Hopper, so 450 GB/s each way (NVIDIA GH200 Grace Hopper Superchip datasheet).
 * Latency: 5 µs per transfer, the figure the engine uses for one PCIe step elsewhere
 * (default/parallel.ts DEFAULT_INTERCONNECT); a copy engine's setup is of that order.
 */
export interface OffloadLink {
  name: string;
  bandwidthBytesPerSecond: number;
  /** Paid once per transfer (one per layer per step). */
  latencySeconds: number;
  source: string;
}

const PCIE_SOURCE = 'PCI-SIG PCI Express Base Specification (lanes × GT/s × 128/130 ÷ 8)';

export const OFFLOAD_LINKS: Readonly<Record<string, OffloadLink>> = {
  'pcie-gen3-x16': { name: 'PCIe 3.0 x16', bandwidthBytesPerSecond: (8e9 * 16 * 128) / 130 / 8, latencySeconds: 5e-6, source: PCIE_SOURCE },
  'pcie-gen4-x16': { name: 'PCIe 4.0 x16', bandwidthBytesPerSecond: (16e9 * 16 * 128) / 130 / 8, latencySeconds: 5e-6, source: PCIE_SOURCE },
  'pcie-gen5-x16': { name: 'PCIe 5.0 x16', bandwidthBytesPerSecond: (32e9 * 16 * 128) / 130 / 8, latencySeconds: 5e-6, source: PCIE_SOURCE },
  'nvlink-c2c': { name: 'NVLink-C2C', bandwidthBytesPerSecond: 450e9, latencySeconds: 5e-6, source: 'NVIDIA GH200 Grace Hopper Superchip datasheet (900 GB/s both directions)' },
};

export const OFFLOAD_LINK_IDS = Object.keys(OFFLOAD_LINKS);
