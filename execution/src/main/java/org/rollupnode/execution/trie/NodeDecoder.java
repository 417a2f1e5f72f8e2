package org.rollupnode.execution.trie;

import java.util.List;
import org.rollupnode.execution.rlp.Rlp;
import org.rollupnode.execution.rlp.RlpException;
import org.rollupnode.execution.rlp.RlpItem;

/** Turns a stored node encoding back into a node; children referenced by hash become {@link HashNode}s. */
final class NodeDecoder {
    private NodeDecoder() {}

    static Node decode(byte[] encoding, NodeSource source) {
        return decode(Rlp.decode(encoding), source);
    }

    private static Node decode(RlpItem item, NodeSource source) {
        if (!item.isList()) {
            throw new RlpException("a trie node is an RLP list");
        }
        List<RlpItem> items = item.list();
        if (items.size() == 17) {
            Node[] children = new Node[16];
            for (int i = 0; i < 16; i++) {
                children[i] = child(items.get(i), source);
            }
            byte[] value = items.get(16).bytes();
            return new BranchNode(children, value.length == 0 ? null : value);
        }
        if (items.size() == 2) {
            byte[] hp = items.get(0).bytes();
            if (hp.length == 0) {
                throw new RlpException("a trie leaf or extension needs a hex-prefix path");
            }
            int flag = (hp[0] & 0xff) >>> 4;
            if (flag > 3) {
                throw new RlpException("bad hex-prefix flag " + flag + " in a trie node");
            }
            boolean odd = (flag & 1) != 0;
            byte[] path = new byte[(hp.length - 1) * 2 + (odd ? 1 : 0)];
            int p = 0;
            if (odd) {
                path[p++] = (byte) (hp[0] & 0x0f);
            }
            for (int i = 1; i < hp.length; i++) {
                path[p++] = (byte) ((hp[i] & 0xff) >>> 4);
                path[p++] = (byte) (hp[i] & 0x0f);
            }
            if ((flag & 2) != 0) {
                return new LeafNode(path, items.get(1).bytes());
            }
            Node child = child(items.get(1), source);
            if (child == null) {
                throw new RlpException("a trie extension without a child");
            }
            return new ExtensionNode(path, child);
        }
        throw new RlpException("a trie node has 2 or 17 items, not " + items.size());
    }

    private static Node child(RlpItem ref, NodeSource source) {
        if (ref.isList()) {
            return decode(ref, source); // embedded: shorter than its hash
        }
        byte[] b = ref.bytes();
        if (b.length == 0) {
            return null;
        }
        if (b.length != 32) {
            throw new RlpException("a trie child reference is a 32-byte hash or an embedded node, not " + b.length + " bytes");
        }
        return new HashNode(b, source);
    }
}
