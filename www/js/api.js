// The page's client of lgwebd's JSON API.  Streaming uses fetch() on
// /api/v1/query/stream rather than EventSource so that HTTP errors (400,
// 429 with Retry-After...) arrive with their JSON body and a query can be
// aborted, which lgwebd relays to the broker as a cancellation.

// lgwebd's messages are fragments ("target: ... forbidden", "the router
// is down; try again later"); the page shows them as sentences.
export function sentence(text) {
	if (!text)
		return '';
	const s = text.charAt(0).toUpperCase() + text.slice(1);
	return /[.!?]$/.test(s) ? s : `${s}.`;
}

async function errorFrom(response) {
	let message = `${response.status} ${response.statusText}`;
	try {
		const body = await response.json();
		if (body && body.error && body.error.message)
			message = body.error.message;
	} catch {
		// Not JSON: keep the status line.
	}
	const retry = response.headers.get('Retry-After');
	if (response.status === 429 && retry && !/retry|again/i.test(message))
		message = `${message.replace(/[.!?]?$/, '.')} Try again in ${retry} s.`;
	return new Error(message);
}

export async function getJSON(path) {
	const response = await fetch(path, { headers: { Accept: 'application/json' } });
	if (!response.ok)
		throw await errorFrom(response);
	return response.json();
}

// DELETE path: the browser sends Origin with it, which lgwebd asks of a
// signed-in change.
export async function deleteJSON(path) {
	const response = await fetch(path, { method: 'DELETE',
	    headers: { Accept: 'application/json' } });
	if (!response.ok)
		throw await errorFrom(response);
	return response.json();
}

function queryString(params) {
	const q = new URLSearchParams();
	q.set('router', params.routers.join(','));
	q.set('type', params.type);
	if (params.target)
		q.set('target', params.target);
	if (params.afi)
		q.set('afi', params.afi);
	if (params.store)
		q.set('store', '1');
	return q.toString();
}

// Splits a text/event-stream into events and hands each to onEvent(name, data).
function parseEvents(buffer, onEvent) {
	let at;
	while ((at = buffer.indexOf('\n\n')) !== -1) {
		const block = buffer.slice(0, at);
		buffer = buffer.slice(at + 2);
		let name = 'message';
		const data = [];
		for (const line of block.split('\n')) {
			if (line.startsWith(':'))
				continue;
			if (line.startsWith('event:'))
				name = line.slice(6).trim();
			else if (line.startsWith('data:'))
				data.push(line.slice(5).replace(/^ /, ''));
		}
		if (data.length > 0)
			onEvent(name, JSON.parse(data.join('\n')));
	}
	return buffer;
}

// Solves a proof-of-work challenge in a Web Worker (js/pow.js); resolves
// to the X-Lorgnette-PoW answer, rejects when aborted.
export function solveChallenge(challenge, signal) {
	return new Promise((resolve, reject) => {
		const worker = new Worker('/js/pow.js');
		const stop = () => {
			worker.terminate();
			reject(new DOMException('Stopped', 'AbortError'));
		};
		if (signal)
			signal.addEventListener('abort', stop, { once: true });
		worker.onmessage = (event) => {
			worker.terminate();
			if (signal)
				signal.removeEventListener('abort', stop);
			if (event.data.error)
				reject(new Error(event.data.error));
			else
				resolve(event.data);
		};
		worker.onerror = (event) => {
			worker.terminate();
			reject(new Error(event.message || 'the proof of work failed'));
		};
		worker.postMessage({ token: challenge.token, bits: challenge.bits });
	});
}

// The challenge of a 429 challenge_required, or null.
async function challengeOf(response) {
	if (response.status !== 429)
		return null;
	try {
		const body = await response.clone().json();
		if (body && body.error && body.error.code === 'challenge_required' && body.challenge)
			return body.challenge;
	} catch {
		// Not JSON: an ordinary refusal.
	}
	return null;
}

// Runs a query and hands every event to onEvent(name, data).  onOpen()
// is called once lgwebd has accepted the query, before the first event;
// a refusal throws instead, with lgwebd's message.  A query held for a
// proof of work is solved here and sent again, once, with
// onChallenge(true) before the work and onChallenge(false, result) after.
export async function streamQuery(params, onEvent, signal, onOpen, onChallenge) {
	const url = `/api/v1/query/stream?${queryString(params)}`;
	const headers = { Accept: 'text/event-stream' };
	let response = await fetch(url, { headers, signal });
	const challenge = await challengeOf(response);
	if (challenge) {
		if (onChallenge)
			onChallenge(true);
		const solved = await solveChallenge(challenge, signal);
		if (onChallenge)
			onChallenge(false, solved);
		response = await fetch(url, {
			headers: { ...headers, 'X-Lorgnette-PoW': solved.answer }, signal,
		});
	}
	if (!response.ok)
		throw await errorFrom(response);
	if (onOpen)
		onOpen();
	const reader = response.body.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	for (;;) {
		const { value, done } = await reader.read();
		if (done)
			break;
		buffer = parseEvents(buffer + decoder.decode(value, { stream: true }), onEvent);
	}
	parseEvents(buffer + decoder.decode() + '\n\n', onEvent);
}
