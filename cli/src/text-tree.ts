/** Trees drawn as Skupper's CLI draws them (`├─ `, `╰─ `, `│  `), for `service status` and `network status`. */

export interface TreeNode {
  label: string;
  children: TreeNode[];
}

export function node(label: string, children: TreeNode[] = []): TreeNode {
  return { label, children };
}

export function renderTree(nodes: readonly TreeNode[], indent = ''): string[] {
  return nodes.flatMap((n, i) => {
    const last = i === nodes.length - 1;
    return [`${indent}${last ? '╰─ ' : '├─ '}${n.label}`, ...renderTree(n.children, `${indent}${last ? '   ' : '│  '}`)];
  });
}
