import { Type } from 'typebox';

/** The answer of `/healthz` and of a ready `/readyz`. */
export const StatusAnswer = Type.Object({ status: Type.Literal('ok') });

/** `/metrics`: Prometheus' text exposition format, version 0.0.4. */
export const MetricsAnswer = {
  description: "Prometheus' text format (version 0.0.4).",
  content: { 'text/plain': { schema: Type.String() } },
};
