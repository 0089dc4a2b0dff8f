# Test peer for the console-socket protocol: accepts one connection, receives the pty master
# (SCM_RIGHTS, as runc sends it) and prints what the container writes to the terminal.
import socket, array, os, sys, time
path = sys.argv[1]
try: os.unlink(path)
except FileNotFoundError: pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind(path); s.listen(1)
print("listening", flush=True)
c, _ = s.accept()
fds = array.array("i")
msg, anc, flags, addr = c.recvmsg(1024, socket.CMSG_LEN(4))
for level, typ, data in anc:
    fds.frombytes(data[:4])
fd = fds[0]
print("got", msg, fd, flush=True)
out = b""
deadline = time.time() + 10
while time.time() < deadline:
    try:
        d = os.read(fd, 1024)
    except OSError:
        break
    if not d: break
    out += d
print("pty output:", out, flush=True)
