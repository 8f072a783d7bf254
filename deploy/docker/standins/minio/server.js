// `server DIR [--flags]`, as MinIO takes it: serves DIR over the S3 API on port 9000 with the root login as its key pair.
const S3rver = require('s3rver');
const { DUMMY_ACCOUNT } = require('s3rver/lib/models/account');

const args = process.argv.slice(2);
const directory = args[0] === 'server' && args[1] ? args[1] : '/data';
const user = process.env.MINIO_ROOT_USER;
const password = process.env.MINIO_ROOT_PASSWORD;
if (!user || !password) {
  console.error('MINIO_ROOT_USER and MINIO_ROOT_PASSWORD must be set');
  process.exit(1);
}
DUMMY_ACCOUNT.createKeyPair(user, password);
// Buckets by path only: the host name (minio) is not a bucket's.
new S3rver({ address: '0.0.0.0', port: 9000, directory, silent: false, vhostBuckets: false })
  .run()
  .then((listening) => console.log(`S3 API on ${JSON.stringify(listening)}, data in ${directory}`))
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
