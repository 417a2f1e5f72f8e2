// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Emits exactly Scroll's L1MessageQueue `QueueTransaction` event, with consecutive queue
/// indexes, so the l1-watcher can be tested against a real L1 node (anvil). Test-only helpers
/// break the rules on purpose: `skipQueueIndexes` makes a gap, `emitMalformed` an undecodable log.
contract TestMessageQueue {
    event QueueTransaction(
        address indexed sender,
        address indexed target,
        uint256 value,
        uint64 queueIndex,
        uint256 gasLimit,
        bytes data
    );

    uint64 public nextQueueIndex;

    function appendMessage(address target, uint256 value, uint256 gasLimit, bytes calldata data) external {
        emit QueueTransaction(msg.sender, target, value, nextQueueIndex, gasLimit, data);
        nextQueueIndex += 1;
    }

    /// Several messages in one transaction (consecutive log indexes in one L1 tx).
    function appendMessages(address target, uint256 count) external {
        for (uint256 i = 0; i < count; i++) {
            emit QueueTransaction(msg.sender, target, i, nextQueueIndex, 100000 + i, abi.encodePacked(uint32(i)));
            nextQueueIndex += 1;
        }
    }

    function skipQueueIndexes(uint64 count) external {
        nextQueueIndex += count;
    }

    /// A log with QueueTransaction's topic0 but none of its fields.
    function emitMalformed() external {
        bytes32 topic0 = QueueTransaction.selector;
        assembly {
            log1(0, 0, topic0)
        }
    }
}
