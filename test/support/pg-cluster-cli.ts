import { startPgCluster, stopPgCluster } from './pg-cluster.js';

// For .ci/run: `start PORT DIR` prints the URL; `stop DIR` stops the cluster and removes the directory.
const [cmd, a, b] = process.argv.slice(2);
if (cmd === 'start' && a && b) console.log(startPgCluster(Number(a), b).url);
else if (cmd === 'stop' && a) stopPgCluster(a);
else {
  console.error('usage: pg-cluster-cli start PORT DIR | stop DIR');
  process.exit(2);
}
