// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// Keccak- and storage-heavy workload for the execution benchmark: each round hashes the previous
/// digest and writes it to a slot, so every call does n KECCAK256 and n SSTOREs.
contract HashStore {
    mapping(uint256 => bytes32) public slots;

    function work(uint256 n, uint256 base) external returns (bytes32 h) {
        h = bytes32(base);
        for (uint256 i = 0; i < n; i++) {
            h = keccak256(abi.encode(h, i));
            slots[base + i] = h;
        }
    }
}
