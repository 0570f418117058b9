/**
 * Mean wait for admission of Poisson arrivals at a continuous-batching engine. Each request holds a
 * KV slot from admission to its last token, so the engine is a queue of `slots` servers that serves
 * at most `saturationPerSecond` requests/s with every slot busy: a request waits only when all slots
 * are taken. M/D/c by the Allen–Cunneen approximation, half the M/M/c wait C(c, a) / (cμ − λ)
 * (A. O. Allen, Probability, Statistics and Queueing Theory, 2nd ed., 1990, §6.4), with Erlang's C
 * from the Erlang B recursion, which stays exact for thousands of slots. One slot gives the M/D/1
 * wait ρ / (2μ(1 − ρ)) of Pollaczek–Khinchine.
 */
export function admissionWaitSeconds(slots: number, arrivalsPerSecond: number, saturationPerSecond: number): number {
  const offered = (slots * arrivalsPerSecond) / saturationPerSecond;
  let blocking = 1;
  for (let servers = 1; servers <= slots && blocking > 0; servers++) blocking = (offered * blocking) / (servers + offered * blocking);
  if (blocking === 0) return 0;
  const allBusy = (slots * blocking) / (slots - offered * (1 - blocking));
  return (0.5 * allBusy) / (saturationPerSecond - arrivalsPerSecond);
}
