"""The one topological walk of a computation graph.

Every tool that walks the graph (the scalar ``Value`` engine, drawing, the
backprop stepper, diagnostics) calls :func:`topological_order`. It is
iterative (an explicit stack, no recursion), so a chain of a million nodes is
fine, and it visits a node reused by several consumers once, after all of
them. (The Tensor engine walks nothing before its pass: it reaches tensors
as gradients flow, the one made last first; see :mod:`autograd.engine`.)
"""


def topological_order(roots, parents):
    """Return the nodes reachable from ``roots``, each before all of its parents.

    ``parents(node)`` gives the nodes a node was computed from. The result is
    the order backpropagation needs: a node comes only after every node that
    consumed it, so its gradient is complete when it is reached. Nodes are
    told apart by identity, not equality.
    """
    visited = set()
    postorder = []
    for root in roots:
        if id(root) in visited:
            continue
        visited.add(id(root))
        # Two parallel stacks, the path from the root and each node's unvisited parents (cheaper
        # than a stack of (node, iterator) pairs: the walk runs before every backward).
        path, pending = [root], [iter(parents(root))]
        while pending:
            for parent in pending[-1]:
                key = id(parent)
                if key not in visited:
                    visited.add(key)
                    grandparents = parents(parent)
                    if not grandparents:  # a leaf (a parameter, say) is done at once, never stacked
                        postorder.append(parent)
                        continue
                    path.append(parent)
                    pending.append(iter(grandparents))
                    break
            else:
                pending.pop()
                postorder.append(path.pop())
    postorder.reverse()
    return postorder
