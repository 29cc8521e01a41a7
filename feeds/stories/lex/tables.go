package lex

import (
	_ "embed"
	"encoding/binary"
)

// tablesBin holds the words vocab.txt and names.txt list, read as the
// tokenizer reads them, so that a process need not tokenize their 50,000
// words (about 50 ms) before it groups its first item:
//
//   - a header of three little-endian uint32s: the number of listed
//     words, the number of Chinese words, the most characters one has;
//   - the listed words (listedOf), sorted: each the hash of the folded
//     word (Token.H) and its key, bit 32 set for a word of the
//     vocabulary, as two uint64s;
//   - the hashes of the folded Chinese words (cjkWords), sorted, a uint64
//     each.
//
// It is written from the two files by `go test ./feeds/stories/lex -run
// TestTables -update`, and TestTables fails when it no longer is what
// they, the tokenizer and the match keys give.
//
//go:embed tables.bin
var tablesBin []byte

// tableSet reads tablesBin.
type tableSet []byte

var tables = tableSet(tablesBin)

const tablesHeader = 12

func (t tableSet) u32(i int) int { return int(binary.LittleEndian.Uint32(t[4*i:])) }

// listed returns the number of listed words.
func (t tableSet) listed() int { return t.u32(0) }

// listedAt returns the hash and the key of listed word i.
func (t tableSet) listedAt(i int) (h, v uint64) {
	b := t[tablesHeader+16*i:]
	return binary.LittleEndian.Uint64(b), binary.LittleEndian.Uint64(b[8:])
}

// cjk returns the number of Chinese words.
func (t tableSet) cjk() int { return t.u32(1) }

// cjkMaxRunes returns the most characters a Chinese word has.
func (t tableSet) cjkMaxRunes() int { return t.u32(2) }

// cjkAt returns the hash of Chinese word i.
func (t tableSet) cjkAt(i int) uint64 {
	return binary.LittleEndian.Uint64(t[tablesHeader+16*t.listed()+8*i:])
}
