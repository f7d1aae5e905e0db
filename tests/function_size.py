#!/usr/bin/env python3
"""Lists the functions longer than LIMIT lines in src/, include/ and tools/; exits 1 if any.

A heuristic brace matcher, good enough for the project's style (no macros that open
blocks): comments, string and character literals (raw strings included) and preprocessor
lines are blanked first; then each '{' is classed by the text before it (back to the last
';', '{' or '}'):
  - namespace / class / struct / union / enum / extern heads open a scope that may hold
    functions;
  - a head with '(' and no top-level '=' opens a function (free, member or inline);
  - anything else (initializers, control blocks) is an inner block.
A function's length runs from the first line of its head (return type, template line
excluded only when it ends with '>' on its own line) to its closing brace.
Lambdas and local classes are counted with the function around them: the limit is about
what a reader must hold at once, and a long lambda inside a function is part of it. A lambda
at namespace scope (an initializer) is not a function for this check.
Usage: function_size.py [top] [limit]
"""
import os
import re
import sys

SCOPE_RE = re.compile(r'\b(namespace|class|struct|union|enum|extern)\b')
CONTROL_RE = re.compile(r'^\s*(if|for|while|switch|catch|do|else|try)\b')


def blank(text):
    """Comments, literals and preprocessor lines replaced by spaces; newlines kept."""
    out = []
    i, n = 0, len(text)
    at_line_start = True
    while i < n:
        c = text[i]
        if at_line_start and c == '#':
            j = i
            while j < n and text[j] != '\n':
                j = j + 2 if text[j] == '\\' and j + 1 < n else j + 1
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
            continue
        if c == '\n':
            at_line_start = True
            out.append(c)
            i += 1
            continue
        if not c.isspace():
            at_line_start = False
        if text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            out.append(' ' * (j - i))
            i = j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif c == 'R' and i + 1 < n and text[i + 1] == '"' and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == '_')):
            k = text.find('(', i + 2)
            delim = ')' + text[i + 2:k] + '"'
            j = text.find(delim, k)
            j = n if j < 0 else j + len(delim)
            out.append(re.sub(r'[^\n]', ' ', text[i:j]))
            i = j
        elif c in '"\'':
            if c == "'" and i > 0 and text[i - 1].isalnum():   # digit separator 1'000
                out.append(' ')
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != '\n':
                j += 2 if text[j] == '\\' else 1
            j = min(j + 1, n)
            out.append(' ' * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def top_level_equals(head):
    depth = 0
    for k, ch in enumerate(head):
        if ch in '([<':
            depth += 1
        elif ch in ')]>':
            depth = max(0, depth - 1)
        elif ch == '=' and depth == 0:
            prev = head[k - 1] if k else ''
            nxt = head[k + 1] if k + 1 < len(head) else ''
            if prev not in '=!<>' and nxt != '=' and not head[:k].rstrip().endswith('operator'):
                return True
    return False


def functions(text):
    """(start_line, end_line, head) of each outermost function body."""
    src = blank(text)
    stack = []          # 'scope', 'function', 'inner'
    head_start = 0
    found = []
    starts = []
    for i, ch in enumerate(src):
        if ch in ';{}':
            if ch == '{':
                head = src[head_start:i]
                if 'function' in stack:
                    kind = 'inner'
                elif SCOPE_RE.search(head) and '(' not in head.split('{')[0]:
                    kind = 'scope'
                elif '(' in head and not top_level_equals(head) and not CONTROL_RE.match(head):
                    kind = 'function'
                else:
                    kind = 'inner'
                if kind == 'function':
                    stripped = len(head) - len(head.lstrip())
                    starts.append((src.count('\n', 0, head_start + stripped) + 1, ' '.join(head.split())))
                stack.append(kind)
            elif ch == '}':
                kind = stack.pop() if stack else 'inner'
                if kind == 'function':
                    line, head = starts.pop()
                    found.append((line, src.count('\n', 0, i) + 1, head))
            head_start = i + 1
    return found


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..')
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 80
    bad = 0
    for d in ('src', 'include', 'tools'):
        for root, _, names in sorted(os.walk(os.path.join(top, d))):
            for name in sorted(names):
                if not name.endswith(('.cpp', '.hpp', '.h', '.cc')):
                    continue
                path = os.path.join(root, name)
                with open(path, encoding='utf-8', errors='replace') as f:
                    text = f.read()
                for start, end, head in functions(text):
                    length = end - start + 1
                    if length > limit:
                        rel = os.path.relpath(path, top)
                        print(f'function_size: {rel}:{start}: {length} lines (over {limit}): {head[:100]}')
                        bad = 1
    return bad


if __name__ == '__main__':
    sys.exit(main())
