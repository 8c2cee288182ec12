// A Web Worker that solves lgwebd's proof-of-work challenge (README.md,
// "Proof of work instead of a CAPTCHA"): it finds a nonce such that the
// SHA-256 of "TOKEN:NONCE" starts with BITS zero bits, with the browser's
// own SHA-256 (crypto.subtle, available on HTTPS and on localhost).  The
// digests are asked for in batches, since each one is a promise.
//
// In:  { token, bits }
// Out: { answer, tries, ms } or { error }

const BATCH = 512;

function zeroBits(digest) {
	const bytes = new Uint8Array(digest);
	let n = 0;
	for (const b of bytes) {
		if (b !== 0)
			return n + Math.clz32(b) - 24;
		n += 8;
	}
	return n;
}

async function solve(token, bits) {
	const encoder = new TextEncoder();
	const prefix = `${token}:`;
	const start = performance.now();
	for (let base = 0; ; base += BATCH) {
		const digests = [];
		for (let i = 0; i < BATCH; i++)
			digests.push(crypto.subtle.digest('SHA-256', encoder.encode(prefix + (base + i))));
		const done = await Promise.all(digests);
		for (let i = 0; i < BATCH; i++)
			if (zeroBits(done[i]) >= bits)
				return { answer: prefix + (base + i), tries: base + i + 1, ms: performance.now() - start };
	}
}

self.onmessage = async (event) => {
	const { token, bits } = event.data;
	if (!self.crypto || !self.crypto.subtle) {
		self.postMessage({ error: 'this browser offers no SHA-256 here (it needs HTTPS)' });
		return;
	}
	self.postMessage(await solve(token, bits));
};
