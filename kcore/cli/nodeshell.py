"""A node's shell: what `ssh node01` gives a learner in the exam.

Files live under the node's root folder and paths never escape it. Enough of a Linux shell
for cluster administration: cat/ls/cp/mv/rm/mkdir/touch/echo and redirections, sed -i,
grep, head/tail, pipes; systemctl and journalctl for the kubelet; crictl for containers;
etcdctl/etcdutl/openssl/kubeadm/kubectl where the cluster provides them. Writing into
/etc/kubernetes/manifests wakes the kubelet at once, like inotify does.
"""
from __future__ import annotations

import fnmatch
import os
import re
import shlex
import shutil
from dataclasses import dataclass


@dataclass
class Out:
    stdout: str = ""
    stderr: str = ""
    returncode: int = 0


class Shell:
    def __init__(self, cluster, node: str):
        self.cluster = cluster
        self.node = node
        self.cwd = "/root"
        self.env: dict[str, str] = {}

    # -- paths ------------------------------------------------------------------------------
    def abs(self, path: str) -> str:
        if path.startswith("~"):
            path = "/root" + path[1:]
        if not path.startswith("/"):
            path = os.path.normpath(os.path.join(self.cwd, path))
        return os.path.normpath(path)

    def host(self, path: str) -> str:
        return self.cluster.host_path(self.node, self.abs(path))

    def touched(self, path: str) -> None:
        p = self.abs(path)
        if p.startswith("/etc/kubernetes/manifests") or p.startswith("/etc/cni/net.d"):
            kl = self.cluster.hosts.get(self.node)
            if kl is not None and kl.running and kl.static is not None and \
                    p.startswith("/etc/kubernetes/manifests"):
                kl.static.scan()

    # -- running ----------------------------------------------------------------------------
    def run(self, command: str, stdin: str = "") -> Out:
        command = command.strip()
        if not command:
            return Out()
        results = Out()
        if "$(" in command or "`" in command:
            command, err = self._substitute(command)
            results.stderr += err
        for part in _split_sequence(command):
            seq, op = part
            r = self.pipeline(seq, stdin)
            results.stdout += r.stdout
            results.stderr += r.stderr
            results.returncode = r.returncode
            if op == "&&" and r.returncode != 0:
                break
            if op == "||" and r.returncode == 0:
                break
        return results

    def pipeline(self, text: str, stdin: str) -> Out:
        stages = _split_pipes(text)
        data = stdin
        out = Out()
        err = ""
        for stage in stages:
            out = self.simple(stage, data)
            err += out.stderr
            data = out.stdout
        return Out(data, err, out.returncode)

    def _substitute(self, text: str) -> tuple[str, str]:
        """Command substitution, $(...) and `...`: run the inner command, put its output in
        place (trailing newlines dropped; unquoted, newlines become spaces as word splitting
        would). Nothing is substituted inside single quotes."""
        out, err, i, quote = [], "", 0, ""
        while i < len(text):
            ch = text[i]
            if ch == "'" and quote != '"':
                quote = "" if quote == "'" else "'"
            elif ch == '"' and quote != "'":
                quote = "" if quote == '"' else '"'
            if quote != "'" and (text.startswith("$(", i) or ch == "`"):
                if ch == "`":
                    end = text.find("`", i + 1)
                    inner, nxt = (text[i + 1:end], end + 1) if end > 0 else (None, 0)
                else:
                    depth, j = 1, i + 2
                    while j < len(text) and depth:
                        depth += {"(": 1, ")": -1}.get(text[j], 0)
                        j += 1
                    inner, nxt = (text[i + 2:j - 1], j) if depth == 0 else (None, 0)
                if inner is not None:
                    r = self.run(inner)
                    err += r.stderr
                    value = r.stdout.rstrip("\n")
                    out.append(value if quote == '"' else " ".join(value.split()))
                    i = nxt
                    continue
            out.append(ch)
            i += 1
        return "".join(out), err

    def _expand_vars(self, text: str) -> str:
        env = {"HOME": "/root", "USER": "root", "HOSTNAME": self.node, "SHELL": "/bin/bash",
               "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "PWD": self.cwd}
        env.update(self.env)

        def sub(m):
            return env.get(m.group(1) or m.group(2), "")
        # no expansion inside single quotes
        parts = re.split(r"('[^']*')", text)
        return "".join(pt if pt.startswith("'") else re.sub(r"\$\{(\w+)\}|\$(\w+)", sub, pt)
                       for pt in parts)

    def simple(self, text: str, stdin: str) -> Out:
        text = self._expand_vars(text)
        try:
            words = shlex.split(text)
        except ValueError as exc:
            return Out("", f"bash: syntax error: {exc}\n", 2)
        redirect = None
        for op in (">>", ">"):
            if op in words:
                i = words.index(op)
                if i + 1 >= len(words):
                    return Out("", "bash: syntax error near unexpected token `newline'\n", 2)
                redirect = (op, words[i + 1])
                words = words[:i] + words[i + 2:]
                break
        else:
            m = [w for w in words if w.startswith(">") and len(w) > 1]
            if m:
                w = m[0]
                op = ">>" if w.startswith(">>") else ">"
                redirect = (op, w[len(op):])
                words = [x for x in words if x != w]
        env_before = dict(self.env)
        while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
            k, _, v = words[0].partition("=")  # ETCDCTL_API=3 etcdctl ...
            self.env[k] = v
            words = words[1:]
        if not words:
            return Out()
        if words[0] == "export":
            for w in words[1:]:
                k, _, v = w.partition("=")
                env_before[k] = v
            self.env = env_before
            return Out()
        if words and words[0] == "sudo":
            words = words[1:]
            if words[:1] == ["-i"]:
                words = words[1:]
        if not words:
            return Out()
        try:
            out = self.command(words, stdin)
        finally:
            self.env = env_before
        if redirect is not None:
            op, target = redirect
            host = self.host(target)
            if os.path.isdir(host):
                return Out("", f"bash: {target}: Is a directory\n", 1)
            try:
                os.makedirs(os.path.dirname(host), exist_ok=True)
                with open(host, "a" if op == ">>" else "w", encoding="utf-8") as fh:
                    fh.write(out.stdout)
            except OSError as exc:
                return Out("", f"bash: {target}: {exc.strerror}\n", 1)
            self.touched(target)
            return Out("", out.stderr, out.returncode)
        return out

    def command(self, words: list[str], stdin: str) -> Out:
        prog = words[0]
        fn = getattr(self, "cmd_" + prog.replace("-", "_").replace(".", "_"), None)
        if fn is None:
            ext = EXTERNAL.get(prog)
            if ext is not None:
                return ext(self, words, stdin)
            return Out("", f"{prog}: command not found\n", 127)
        return fn(words[1:], stdin)

    # -- files ------------------------------------------------------------------------------
    def _read(self, path: str) -> tuple[str | None, str]:
        host = self.host(path)
        if os.path.isdir(host):
            return None, f"cat: {path}: Is a directory\n"
        try:
            with open(host, encoding="utf-8", errors="replace") as fh:
                return fh.read(), ""
        except OSError:
            return None, f"cat: {path}: No such file or directory\n"

    def cmd_cat(self, args, stdin):
        if not args or args == ["-"]:
            return Out(stdin)
        out, err, code = "", "", 0
        for a in args:
            if a.startswith("-") and a != "-":
                continue
            text, e = self._read(a)
            if text is None:
                err += e
                code = 1
            else:
                out += text
        return Out(out, err, code)

    def cmd_tee(self, args, stdin):
        append = "-a" in args
        for a in [x for x in args if not x.startswith("-")]:
            host = self.host(a)
            os.makedirs(os.path.dirname(host), exist_ok=True)
            with open(host, "a" if append else "w", encoding="utf-8") as fh:
                fh.write(stdin)
            self.touched(a)
        return Out(stdin)

    def cmd_echo(self, args, stdin):
        newline = True
        if args[:1] == ["-n"]:
            newline, args = False, args[1:]
        if args[:1] == ["-e"]:
            args = args[1:]
            return Out(" ".join(args).encode().decode("unicode_escape") + ("\n" if newline else ""))
        return Out(" ".join(args) + ("\n" if newline else ""))

    def cmd_ls(self, args, stdin):
        long = any(a.startswith("-") and "l" in a for a in args)
        show_all = any(a.startswith("-") and "a" in a for a in args)
        paths = [a for a in args if not a.startswith("-")] or [self.cwd]
        out, err, code = [], "", 0
        for p in paths:
            host = self.host(p)
            if not os.path.exists(host):
                err += f"ls: cannot access '{p}': No such file or directory\n"
                code = 2
                continue
            if os.path.isdir(host):
                names = sorted(n for n in os.listdir(host) if show_all or not n.startswith("."))
                if len(paths) > 1:
                    out.append(f"{p}:")
                if long:
                    out.append(f"total {len(names) * 4}")
                    for n in names:
                        out.append(_long_entry(os.path.join(host, n), n))
                else:
                    out.extend(names)
            else:
                out.append(_long_entry(host, p) if long else p)
        return Out("".join(l + "\n" for l in out), err, code)

    def cmd_mkdir(self, args, stdin):
        for a in [x for x in args if not x.startswith("-")]:
            host = self.host(a)
            if os.path.exists(host) and "-p" not in args:
                return Out("", f"mkdir: cannot create directory '{a}': File exists\n", 1)
            os.makedirs(host, exist_ok=True)
        return Out()

    def cmd_touch(self, args, stdin):
        for a in [x for x in args if not x.startswith("-")]:
            host = self.host(a)
            os.makedirs(os.path.dirname(host), exist_ok=True)
            with open(host, "a", encoding="utf-8"):
                pass
            self.touched(a)
        return Out()

    def cmd_rm(self, args, stdin):
        force = any(a.startswith("-") and "f" in a for a in args)
        recursive = any(a.startswith("-") and ("r" in a or "R" in a) for a in args)
        code, err = 0, ""
        for a in [x for x in args if not x.startswith("-")]:
            host = self.host(a)
            if os.path.isdir(host):
                if not recursive:
                    err += f"rm: cannot remove '{a}': Is a directory\n"
                    code = 1
                    continue
                shutil.rmtree(host)
            elif os.path.exists(host):
                os.remove(host)
            elif not force:
                err += f"rm: cannot remove '{a}': No such file or directory\n"
                code = 1
            self.touched(a)
        return Out("", err, code)

    def _copy_or_move(self, args, move):
        files = [a for a in args if not a.startswith("-")]
        name = "mv" if move else "cp"
        if len(files) < 2:
            return Out("", f"{name}: missing destination file operand after '{files[0] if files else ''}'\n", 1)
        *srcs, dst = files
        dst_host = self.host(dst)
        for s in srcs:
            sh = self.host(s)
            if not os.path.exists(sh):
                return Out("", f"{name}: cannot stat '{s}': No such file or directory\n", 1)
            target = os.path.join(dst_host, os.path.basename(sh)) if os.path.isdir(dst_host) else dst_host
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if move:
                shutil.move(sh, target)
            elif os.path.isdir(sh):
                shutil.copytree(sh, target, dirs_exist_ok=True)
            else:
                shutil.copyfile(sh, target)
            self.touched(s)
        self.touched(dst)
        return Out()

    def cmd_cp(self, args, stdin):
        return self._copy_or_move(args, False)

    def cmd_mv(self, args, stdin):
        return self._copy_or_move(args, True)

    def cmd_sed(self, args, stdin):
        in_place = False
        exprs, files = [], []
        it = iter(args)
        for a in it:
            if a == "-i" or a.startswith("-i"):
                in_place = True
            elif a == "-e":
                exprs.append(next(it, ""))
            elif a.startswith("-"):
                continue
            elif not exprs:
                exprs.append(a)
            else:
                files.append(a)
        quiet = "-n" in args
        prints = []
        for e in list(exprs):
            m = re.fullmatch(r"(\d+)(?:,(\d+))?p", e) or re.fullmatch(r"/(.*)/p", e)
            if m:
                prints.append(m)
                exprs.remove(e)
        if prints:
            files_text = [self._read(f)[0] for f in files] if files else [stdin]
            if any(t is None for t in files_text):
                return Out("", f"sed: can't read {files[0]}: No such file or directory\n", 2)
            out = []
            for text in files_text:
                for n, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), 1):
                    hit = False
                    for m in prints:
                        if m.re.pattern.startswith("/"):
                            hit = hit or bool(re.search(_bre_to_re(m.group(1)), line))
                        else:
                            lo = int(m.group(1))
                            hi = int(m.group(2)) if m.group(2) else lo
                            hit = hit or lo <= n <= hi
                    if hit:
                        out.append(line)
                    if not quiet:
                        out.append(line)
            return Out("".join(l + "\n" for l in out))
        subs = []
        for e in exprs:
            m = re.fullmatch(r"s(.)(.*?)(?<!\\)\1(.*?)(?<!\\)\1([gI0-9]*)", e, re.S)
            if not m:
                return Out("", f"sed: -e expression #1, char {len(e)}: unterminated `s' command\n", 1)
            delim, pat, rep, fl = m.groups()
            pat = pat.replace("\\" + delim, delim) if delim != "\\" else pat
            rep = rep.replace("\\" + delim, delim)
            rep = re.sub(r"\\(\d)", r"\\\1", rep).replace("&", r"\g<0>")
            try:
                rx = re.compile(_bre_to_re(pat), re.I if "I" in fl else 0)
            except re.error as exc:
                return Out("", f"sed: -e expression #1: {exc}\n", 1)
            subs.append((rx, rep, 0 if "g" in fl else 1))

        def apply(text):
            lines = text.split("\n")
            return "\n".join(_apply_subs(l, subs) for l in lines)
        if not files:
            return Out(apply(stdin))
        out = ""
        for f in files:
            text, err = self._read(f)
            if text is None:
                return Out("", err.replace("cat:", "sed: can't read", 1).replace(": No such", ": No such"), 2)
            new = apply(text)
            if in_place:
                with open(self.host(f), "w", encoding="utf-8") as fh:
                    fh.write(new)
                self.touched(f)
            else:
                out += new
        return Out(out)

    def cmd_grep(self, args, stdin):
        flags: set = set()
        after = before = 0
        pattern = None
        patterns: list[str] = []
        files = []
        i = 0
        while i < len(args):
            a = args[i]
            if a == "--":
                rest = args[i + 1:]
                if pattern is None and not patterns and rest:
                    pattern, rest = rest[0], rest[1:]
                files.extend(rest)
                break
            if a in ("-A", "-B", "-C") and i + 1 < len(args):
                n = int(args[i + 1]) if args[i + 1].isdigit() else 0
                after = n if a in ("-A", "-C") else after
                before = n if a in ("-B", "-C") else before
                i += 2
                continue
            m = re.fullmatch(r"-([ABC])(\d+)", a)
            if m:
                n = int(m.group(2))
                after = n if m.group(1) in "AC" else after
                before = n if m.group(1) in "BC" else before
            elif a == "-e" and i + 1 < len(args):
                patterns.append(args[i + 1])
                i += 1
            elif a.startswith("-") and len(a) > 1 and pattern is None:
                flags.update(a[1:])
            elif pattern is None:
                pattern = a
            else:
                files.append(a)
            i += 1
        if patterns:
            if pattern is not None:
                files.insert(0, pattern)
            pattern = None
        elif pattern is None:
            return Out("", "Usage: grep [OPTION]... PATTERNS [FILE]...\n", 2)
        alts = patterns or [pattern]
        try:
            rx = re.compile("|".join(f"(?:{p if 'E' in flags else _bre_to_re(p)})" for p in alts),
                            re.I if "i" in flags else 0)
        except re.error:
            rx = re.compile("|".join(re.escape(p) for p in alts), re.I if "i" in flags else 0)
        sources = [("", stdin)] if not files else []
        for f in files:
            host = self.host(f)
            if os.path.isdir(host) and ("r" in flags or "R" in flags):
                for root, _, names in os.walk(host):
                    for n in sorted(names):
                        full = os.path.join(root, n)
                        with open(full, encoding="utf-8", errors="replace") as fh:
                            sources.append((os.path.join(f, os.path.relpath(full, host)), fh.read()))
                continue
            text, _ = self._read(f)
            if text is None:
                return Out("", f"grep: {f}: No such file or directory\n", 2)
            sources.append((f, text))
        multi = len(sources) > 1 or "r" in flags
        out, found, counts = [], False, []
        for name, text in sources:
            lines = text.split("\n")
            if text.endswith("\n"):
                lines = lines[:-1]
            hits = [bool(rx.search(l)) != ("v" in flags) for l in lines]
            counts.append((name, sum(hits)))
            found = found or any(hits)
            shown, last = set(), None
            for idx, hit in enumerate(hits):
                if not hit:
                    continue
                for j in range(max(0, idx - before), min(len(lines), idx + after + 1)):
                    if j in shown:
                        continue
                    if last is not None and j > last + 1 and (before or after):
                        out.append("--")
                    shown.add(j)
                    last = j
                    sep = ":" if j == idx or hits[j] else "-"
                    prefix = (f"{name}{sep}" if multi and name else "") + (f"{j + 1}{sep}" if "n" in flags else "")
                    out.append(prefix + lines[j])
        if "c" in flags:
            return Out("".join((f"{n}:" if multi else "") + f"{c}\n" for n, c in counts), "", 0 if found else 1)
        if "l" in flags:
            return Out("".join(f"{n}\n" for n, c in counts if c), "", 0 if found else 1)
        if "q" in flags:
            return Out("", "", 0 if found else 1)
        return Out("".join(l + "\n" for l in out), "", 0 if found else 1)

    def _lines_arg(self, args, stdin):
        """head/tail's `-n N` / `-N` and the text of their file (or stdin)."""
        n = 10
        files = []
        it = iter(args)
        for a in it:
            if a == "-n":
                n = int(next(it, "10"))
            elif re.fullmatch(r"-\d+", a):
                n = int(a[1:])
            elif a in ("-f", "-F"):
                continue
            else:
                files.append(a)
        text = stdin if not files else (self._read(files[0])[0] or "")
        return n, text.splitlines()

    def cmd_head(self, args, stdin):
        n, lines = self._lines_arg(args, stdin)
        return Out("".join(l + "\n" for l in lines[:n]))

    def cmd_tail(self, args, stdin):
        n, lines = self._lines_arg(args, stdin)
        return Out("".join(l + "\n" for l in lines[-n:] if n))

    def cmd_wc(self, args, stdin):
        text = stdin if not [a for a in args if not a.startswith("-")] else \
            (self._read([a for a in args if not a.startswith("-")][0])[0] or "")
        if "-l" in args:
            return Out(f"{text.count(chr(10))}\n")
        return Out(f"{text.count(chr(10))} {len(text.split())} {len(text.encode())}\n")

    def cmd_cd(self, args, stdin):
        target = self.abs(args[0]) if args else "/root"
        if not os.path.isdir(self.cluster.host_path(self.node, target)):
            return Out("", f"bash: cd: {args[0]}: No such file or directory\n", 1)
        self.cwd = target
        return Out()

    def cmd_pwd(self, args, stdin):
        return Out(self.cwd + "\n")

    def cmd_hostname(self, args, stdin):
        return Out(self.node + "\n")

    def cmd_whoami(self, args, stdin):
        return Out("root\n")

    def cmd_true(self, args, stdin):
        return Out()

    def cmd_false(self, args, stdin):
        return Out("", "", 1)

    def cmd_base64(self, args, stdin):
        import base64
        files = [a for a in args if not a.startswith("-")]
        data = (self._read(files[0])[0] or "") if files else stdin
        if "-d" in args or "--decode" in args:
            try:
                return Out(base64.b64decode(data.strip()).decode("utf-8", "replace"))
            except ValueError:
                return Out("", "base64: invalid input\n", 1)
        enc = base64.b64encode(data.encode()).decode()
        if "-w0" in args or "-w" in args:
            return Out(enc)
        return Out("".join(enc[i:i + 76] + "\n" for i in range(0, len(enc), 76)))

    def cmd_vi(self, args, stdin):
        return Out("", "kcore: editors are not interactive here; change files with "
                   "`sed -i 's/old/new/' FILE` or rewrite them with `cat > FILE` (cell stdin).\n", 1)

    cmd_vim = cmd_nano = cmd_vi

    def cmd_systemctl(self, args, stdin):
        from kcore.cli import systemd
        return systemd.systemctl(self, args)

    def cmd_journalctl(self, args, stdin):
        from kcore.cli import systemd
        return systemd.journalctl(self, args)

    def cmd_crictl(self, args, stdin):
        from kcore.cli import crictl
        return crictl.run(self, args)

    def cmd_kubectl(self, args, stdin):
        if self.node != self.cluster.controlplane:
            return Out("", "E0101 00:00:00.000000    2345 memcache.go:265] couldn't get current "
                       "server API group list: Get \"http://localhost:8080/api?timeout=32s\": dial "
                       "tcp 127.0.0.1:8080: connect: connection refused\nThe connection to the "
                       "server localhost:8080 was refused - did you specify the right host or port?\n", 1)
        # the node's kubectl is the installed package, whatever the learner's own kubectl is
        from kcore.cli.kubeadm import packages
        self.cluster.node_client_version = "v" + packages(self.cluster, self.node)["kubectl"]["version"]
        try:
            r = self.cluster.kubectl(args, stdin=stdin)
        finally:
            self.cluster.node_client_version = None
        return Out(r.stdout, r.stderr, r.returncode)

    def cmd_ps(self, args, stdin):
        from kcore.cli import systemd
        return systemd.ps(self, args)


EXTERNAL: dict = {}


def register_external(name):
    def deco(fn):
        EXTERNAL[name] = fn
        return fn
    return deco


def _long_entry(host: str, name: str) -> str:
    st = os.stat(host)
    kind = "d" if os.path.isdir(host) else "-"
    mode = st.st_mode & 0o777
    perms = "".join(c if mode & (1 << (8 - i)) else "-" for i, c in enumerate("rwxrwxrwx"))
    return f"{kind}{perms} 1 root root {st.st_size:>5} Jan  1 00:00 {name}"


def _bre_to_re(pat: str) -> str:
    """Basic regular expressions: \\( \\) \\| \\+ are the operators; ( ) | + are literal."""
    out = []
    i = 0
    while i < len(pat):
        c = pat[i]
        if c == "\\" and i + 1 < len(pat):
            n = pat[i + 1]
            if n in "()|+?{}":
                out.append(n)
            else:
                out.append("\\" + n)
            i += 2
            continue
        if c in "()|+?{}":
            out.append("\\" + c)
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _apply_subs(line, subs):
    for rx, rep, count in subs:
        line = rx.sub(rep, line, count=count)
    return line


def _split_sequence(command: str):
    parts, buf, quote, i = [], "", None, 0
    while i < len(command):
        c = command[i]
        if quote:
            buf += c
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
            buf += c
        elif command.startswith("&&", i) or command.startswith("||", i):
            parts.append((buf, command[i:i + 2]))
            buf = ""
            i += 2
            continue
        elif c == ";":
            parts.append((buf, ";"))
            buf = ""
        else:
            buf += c
        i += 1
    if buf.strip():
        parts.append((buf, ";"))
    return [(p.strip(), op) for p, op in parts if p.strip()]


def _split_pipes(text: str):
    parts, buf, quote = [], "", None
    for c in text:
        if quote:
            buf += c
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
            buf += c
        elif c == "|":
            parts.append(buf)
            buf = ""
        else:
            buf += c
    parts.append(buf)
    return [p.strip() for p in parts]


def run(cluster, node: str, command: str, stdin: str = ""):
    from kcore.cli import kubeadm, node_tools  # noqa: F401  register etcdctl, kubeadm, apt ...
    if node not in cluster.node_names:
        return Out("", f"ssh: Could not resolve hostname {node}: Name or service not known\n", 255)
    cluster.materialize(node)
    shells = cluster.__dict__.setdefault("_shells", {})
    sh = shells.get(node)
    if sh is None:
        sh = shells[node] = Shell(cluster, node)
    try:
        return sh.run(command, stdin)
    except Exception as exc:  # noqa: BLE001 - a shell never shows a Python traceback
        import traceback
        cluster.last_traceback = traceback.format_exc()
        return Out("", f"kcore: internal error in the node shell ({type(exc).__name__}: {exc})\n", 1)


__all__ = ["Shell", "run", "register_external", "fnmatch"]
