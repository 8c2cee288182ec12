# Helpers for the ops tests; source after tests/lib/tap.sh.
#
#   ops_free_base COUNT   prints a port P such that P .. P+COUNT-1 are all
#                         free on 127.0.0.1 (several test suites and a demo
#                         may run side by side, each with its own emulator)

ops_free_base() {
	python3 - "$1" <<'PY'
import random, socket, sys
n = int(sys.argv[1])
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
        return True
    except OSError:
        return False
    finally:
        s.close()
for _ in range(200):
    base = random.randrange(10000, 30000 - n)
    if all(free(p) for p in range(base, base + n)):
        print(base)
        sys.exit(0)
sys.exit(1)
PY
}
