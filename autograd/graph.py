"""The one topological walk of a computation graph.

Every tool that walks the graph (the Tensor engine, the scalar ``Value``
engine, drawing, the backprop stepper, diagnostics) calls
:func:`topological_order`. It is iterative (an explicit stack, no recursion),
so a chain of a million nodes is fine, and it visits a node reused by several
consumers once, after all of them.
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
        stack = [(root, iter(parents(root)))]
        while stack:
            node, pending = stack[-1]
            for parent in pending:
                if id(parent) not in visited:
                    visited.add(id(parent))
                    stack.append((parent, iter(parents(parent))))
                    break
            else:
                stack.pop()
                postorder.append(node)
    postorder.reverse()
    return postorder
