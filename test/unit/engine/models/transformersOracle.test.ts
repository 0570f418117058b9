/**
 * The engine against transformers' own modelling code, for the 26 model types of
 * test/fixtures/transformers/oracle.json (copied from the project's shared reference; generated
 * with transformers 5.18.0 and torch 2.13.0 on CPU, see its `generator` and `conventions`):
 * - parameters of AutoModelForCausalLM.from_config on the meta device, at published size, from the
 *   config as published and as transformers' to_dict() writes it (both must agree), and of the
 *   scaled-down config;
 * - KV bytes: the cache tensors of a real forward pass of T tokens (T = 64, 200), 16-bit, with
 *   sliding layers capped at min(T, window) and MLA's latent cache (`serving_bytes_16bit`);
 * - prefill FLOPs: FlopCounterMode over that forward pass, matmuls only, bias adds included, routed
 *   experts for their k experts per token (`gemm_plus_bias_flops_routed`); eager attention computes
 *   the full T × T square, as our unfused attention does.
 * Every figure must agree within 1%.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { HfConfig } from '../../../../language-server/src/engine/types';
import { assertClose } from '../default/helpers';
import { kvBytes, parameterCounts, prefillMatmulFlops } from './counts';

interface OracleRun {
  T: number;
  gemm_plus_bias_flops_routed: number;
  kv: { serving_bytes_16bit: number };
}

interface OracleModel {
  model_type: string;
  hf_id: string;
  real: {
    config_full: HfConfig;
    config_published_style: HfConfig;
    params: { total: number; active: number };
  };
  small: { config_full: HfConfig; config_published_style: HfConfig; runs: OracleRun[] };
}

const ORACLE = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../fixtures/transformers/oracle.json'), 'utf8'),
) as { models: OracleModel[] };

const TOLERANCE = 0.01;

describe('transformers oracle: 26 model types within 1%', () => {
  for (const model of ORACLE.models) {
    describe(`${model.model_type} (${model.hf_id})`, () => {
      for (const form of ['config_published_style', 'config_full'] as const) {
        it(`parameters from the ${form === 'config_full' ? 'to_dict()' : 'published'} config`, () => {
          const counts = parameterCounts(model.real[form]);
          assertClose(counts.total, model.real.params.total, TOLERANCE, 'total parameters');
          assertClose(counts.active, model.real.params.active, TOLERANCE, 'active parameters');
        });
      }
      for (const run of model.small.runs) {
        it(`KV bytes and prefill FLOPs at T = ${run.T} (scaled-down config)`, () => {
          for (const form of ['config_published_style', 'config_full'] as const) {
            const config = model.small[form];
            assertClose(kvBytes(config, run.T), run.kv.serving_bytes_16bit, TOLERANCE, `${form} KV bytes`);
            assertClose(prefillMatmulFlops(config, run.T), run.gemm_plus_bias_flops_routed, TOLERANCE, `${form} prefill FLOPs`);
          }
        });
      }
    });
  }
});
