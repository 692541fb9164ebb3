package normalize

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"strings"
	"unicode"

	"github.com/btcsuite/btcd/btcutil/base58"
	"github.com/btcsuite/btcd/btcutil/bech32"
	"golang.org/x/crypto/sha3"
)

// addressFormat says how the addresses of one currency are written.
type addressFormat struct {
	base58   string // base58check version bytes, one per accepted version, a 20-byte hash after it
	hrp      string // bech32 / bech32m human-readable part of segwit addresses
	cashaddr bool   // Bitcoin Cash cashaddr (bitcoincash:q...)
	evm      bool   // 0x and 40 hex digits, EIP-55 mixed-case checksum
	tron     bool   // base58check, version 0x41
	monero   bool   // Monero base58 blocks, Keccak-256 checksum
	ripple   bool   // base58check in the Ripple alphabet, version 0x00
	zcash    bool   // t-addresses (base58check, 2-byte versions), zs1 sapling (bech32)
	token    bool   // a token on several chains: the address's shape picks the chain
}

// Base58check version bytes, by chain.
const (
	verBTC = "\x00\x05" // P2PKH 1..., P2SH 3...
)

// addressFormatOf returns the address format of a currency code as OFAC
// prints it after "Digital Currency Address - " (every code in the
// publications of 2018 to 2025, and a few more). The version bytes are each
// chain's main-network ones.
func addressFormatOf(cur string) (addressFormat, bool) {
	switch cur {
	case "XBT", "BTC":
		return addressFormat{base58: verBTC, hrp: "bc"}, true
	case "BSV":
		return addressFormat{base58: verBTC}, true
	case "BCH":
		return addressFormat{base58: verBTC, cashaddr: true}, true
	case "LTC": // L..., M..., legacy 3...
		return addressFormat{base58: "\x30\x32\x05", hrp: "ltc"}, true
	case "BTG": // G..., A...
		return addressFormat{base58: "\x26\x17", hrp: "btg"}, true
	case "DASH": // X..., 7...
		return addressFormat{base58: "\x4c\x10"}, true
	case "XVG": // D..., E...
		return addressFormat{base58: "\x1e\x21"}, true
	case "DOGE": // D..., 9.../A...
		return addressFormat{base58: "\x1e\x16"}, true
	case "ZEC":
		return addressFormat{zcash: true}, true
	case "TRX":
		return addressFormat{tron: true}, true
	case "XMR":
		return addressFormat{monero: true}, true
	case "XRP":
		return addressFormat{ripple: true}, true
	case "ETH", "ETC", "BSC", "BNB", "ARB":
		return addressFormat{evm: true}, true
	case "USDT", "USDC":
		return addressFormat{token: true}, true
	}
	return addressFormat{}, false
}

// maxAddressLen bounds the work done on a value: no address format here is
// longer (Monero integrated addresses have 106 characters).
const maxAddressLen = 128

// cryptoAddress normalizes and checks a crypto currency address of the
// given currency code:
//   - Bitcoin (XBT, BTC), Bitcoin SV, Bitcoin Cash (legacy), Litecoin,
//     Bitcoin Gold, Dash, Verge, Dogecoin: base58check with the chain's
//     version bytes and a 20-byte hash; segwit addresses (bc1, ltc1, btg1)
//     by BIP-173 (bech32, witness version 0) and BIP-350 (bech32m, 1 to 16);
//     Bitcoin Cash cashaddr (with or without "bitcoincash:") by its BCH code.
//   - Zcash transparent addresses (t1, t3): base58check with two version
//     bytes; Sapling addresses (zs1): bech32. Other Zcash forms: no check.
//   - Ethereum and EVM chains (ETH, ETC, BSC, BNB, ARB): 0x and 40 hex
//     digits; a mixed-case address must match its EIP-55 checksum (an
//     all-lower or all-upper one has none to match).
//   - Tron (TRX): base58check of 25 bytes with version 0x41 (T...).
//   - Monero (XMR): standard, integrated and subaddresses of the main
//     network, in Monero's block base58, with their Keccak-256 checksum.
//   - Ripple (XRP): classic addresses, base58check in Ripple's alphabet.
//   - USDT, USDC: tokens on several chains; 0x... is checked as EVM, T... as
//     Tron, 1... and 3... as Bitcoin (Omni layer), bc1... as segwit.
//
// Any other currency: an EVM-shaped address (0x...) is checked as EVM, the
// rest gets no check (valid nil). With no currency, the shape decides as
// for tokens.
func cryptoAddress(currency, raw string) (string, *bool, string) {
	cur := strings.ToUpper(strings.TrimSpace(currency))
	s := stripSpace(raw)
	label := cur
	if label == "" {
		label = "crypto"
	}
	if s == "" {
		return checked(s, false, label+" address is empty")
	}
	if len(s) > maxAddressLen {
		return checked(s, false, label+" address is too long")
	}
	f, known := addressFormatOf(cur)
	switch {
	case f.token || cur == "":
		return addressByShape(label, s)
	case !known:
		if isEVMShape(s) {
			return evmAddress(label, s)
		}
		return s, nil, "no check for currency " + cur
	case f.evm:
		return evmAddress(label, s)
	case f.tron:
		return base58Address(label, s, "\x41")
	case f.monero:
		return moneroAddress(label, s)
	case f.ripple:
		return rippleAddress(label, s)
	case f.zcash:
		return zcashAddress(label, s)
	case f.hrp != "" && hasPrefixFold(s, f.hrp+"1"):
		return segwitAddress(label, s, f.hrp)
	case f.cashaddr && isCashAddrShape(s):
		return cashAddress(label, s)
	}
	return base58Address(label, s, f.base58)
}

// addressByShape checks an address of a token that lives on several
// chains, or of an unnamed currency, by its shape.
func addressByShape(label, s string) (string, *bool, string) {
	switch {
	case isEVMShape(s):
		return evmAddress(label, s)
	case s[0] == 'T' && len(s) == 34:
		return base58Address(label, s, "\x41")
	case hasPrefixFold(s, "bc1"):
		return segwitAddress(label, s, "bc")
	case s[0] == '1' || s[0] == '3':
		return base58Address(label, s, verBTC)
	}
	return s, nil, "no check for this " + label + " address form"
}

// stripSpace removes white space (and zero-width spaces) from s.
func stripSpace(s string) string {
	if !strings.ContainsFunc(s, isSpaceOrZW) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isSpaceOrZW(r) {
			return -1
		}
		return r
	}, s)
}

func isSpaceOrZW(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff'
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// doubleSHA256Check reports whether the last 4 bytes of b are the first 4
// of SHA-256(SHA-256(the rest)).
func doubleSHA256Check(b []byte) bool {
	if len(b) < 5 {
		return false
	}
	h := sha256.Sum256(b[:len(b)-4])
	h = sha256.Sum256(h[:])
	return bytes.Equal(h[:4], b[len(b)-4:])
}

// base58Address checks a base58check address: a version prefix, a 20-byte
// hash, a 4-byte double SHA-256 checksum. versions holds the accepted
// prefixes, one byte each (two bytes each for Zcash: see zcashAddress).
func base58Address(label, s, versions string) (string, *bool, string) {
	return base58AddressWidth(label, s, versions, 1)
}

func base58AddressWidth(label, s, versions string, width int) (string, *bool, string) {
	b := base58.Decode(s)
	if len(b) == 0 {
		return checked(s, false, label+" address is not base58")
	}
	if !doubleSHA256Check(b) {
		return checked(s, false, label+" address checksum does not match (base58check)")
	}
	if len(b) != width+20+4 {
		return checked(s, false, label+" address has a valid checksum but the wrong length")
	}
	for i := 0; i+width <= len(versions); i += width {
		if string(b[:width]) == versions[i:i+width] {
			return checked(s, true, "")
		}
	}
	return checked(s, false, label+" address version 0x"+hex.EncodeToString(b[:width])+" is not one of this currency")
}

// segwitAddress checks a segregated witness address (BIP-173, BIP-350).
// A valid one is returned in lower case.
func segwitAddress(label, s, hrp string) (string, *bool, string) {
	got, data, version, err := bech32.DecodeGeneric(s)
	if err != nil {
		return checked(s, false, label+" address is not valid bech32: "+bech32Problem(err))
	}
	if got != hrp {
		return checked(s, false, label+" address prefix "+got+" is not "+hrp)
	}
	if len(data) < 1 || data[0] > 16 {
		return checked(s, false, label+" address has no valid witness version")
	}
	program, err := bech32.ConvertBits(data[1:], 5, 8, false)
	if err != nil || len(program) < 2 || len(program) > 40 {
		return checked(s, false, label+" address has an invalid witness program")
	}
	switch {
	case data[0] == 0 && version != bech32.Version0:
		return checked(s, false, label+" address of witness version 0 must use bech32, not bech32m")
	case data[0] != 0 && version != bech32.VersionM:
		return checked(s, false, label+" address of witness version 1 or more must use bech32m (BIP-350)")
	case data[0] == 0 && len(program) != 20 && len(program) != 32:
		return checked(s, false, label+" address of witness version 0 must hold 20 or 32 bytes")
	}
	return checked(strings.ToLower(s), true, "")
}

// bech32Problem names a bech32 decoding error briefly.
func bech32Problem(err error) string {
	switch err.(type) {
	case bech32.ErrInvalidChecksum:
		return "checksum does not match"
	case bech32.ErrMixedCase:
		return "mixed case"
	case bech32.ErrInvalidLength:
		return "wrong length"
	case bech32.ErrNonCharsetChar, bech32.ErrInvalidCharacter:
		return "character outside the bech32 set"
	}
	return "malformed"
}

// isEVMShape reports whether s looks like an EVM address: 0x and about 40
// characters (a digit or two off is a typo worth reporting; 0x and 64 hex
// digits is another chain's format).
func isEVMShape(s string) bool {
	return len(s) >= 40 && len(s) <= 44 && (s[:2] == "0x" || s[:2] == "0X")
}

// evmAddress checks an Ethereum-style address: 0x and 40 hex digits; when
// the digits mix upper and lower case they must match the EIP-55 checksum
// (Keccak-256 of the lower-case hex). A valid address is returned in lower
// case, so that the checksummed and the plain forms compare equal; an
// invalid one keeps its case.
func evmAddress(label, s string) (string, *bool, string) {
	if len(s) >= 2 && s[:2] == "0X" {
		s = "0x" + s[2:]
	}
	if len(s) != 42 || s[:2] != "0x" {
		return checked(s, false, label+" address must be 0x and 40 hex digits")
	}
	digits := s[2:]
	lower, upper := false, false
	for i := 0; i < len(digits); i++ {
		switch c := digits[i]; {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'f':
			lower = true
		case c >= 'A' && c <= 'F':
			upper = true
		default:
			return checked(s, false, label+" address must be 0x and 40 hex digits")
		}
	}
	if lower && upper && !eip55Valid(digits) {
		return checked(s, false, label+" address mixed case does not match its EIP-55 checksum")
	}
	return checked("0x"+strings.ToLower(digits), true, "")
}

// eip55Valid reports whether the case of the 40 hex digits follows
// EIP-55: a letter is upper case exactly when the matching nibble of
// Keccak-256(lower-case digits) is 8 or more.
func eip55Valid(digits string) bool {
	var lower [40]byte
	for i := 0; i < 40; i++ {
		c := digits[i]
		if c >= 'A' && c <= 'F' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	h := sha3.NewLegacyKeccak256()
	h.Write(lower[:])
	sum := h.Sum(nil)
	for i := 0; i < 40; i++ {
		c := digits[i]
		if c <= '9' {
			continue
		}
		nibble := sum[i/2] >> 4
		if i%2 == 1 {
			nibble = sum[i/2] & 0x0f
		}
		if (nibble >= 8) != (c <= 'F') {
			return false
		}
	}
	return true
}

// Ripple's base58 alphabet, in the order of Bitcoin's.
const (
	rippleAlphabet  = "rpshnaf39wBUDNEGHJKLM4PQRST7VWXYZ2bcdeCg65jkm8oFqi1tuvAxyz"
	bitcoinAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
)

// rippleAddress checks a classic XRP Ledger address (r...): base58check in
// Ripple's alphabet, version 0x00, a 20-byte account ID.
func rippleAddress(label, s string) (string, *bool, string) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		j := strings.IndexByte(rippleAlphabet, s[i])
		if j < 0 {
			return checked(s, false, label+" address is not base58 (Ripple alphabet)")
		}
		b.WriteByte(bitcoinAlphabet[j])
	}
	_, ok, problem := base58Address(label, b.String(), "\x00")
	return s, ok, problem
}

// zcashAddress checks a Zcash address: transparent t1 (P2PKH, version
// 1C B8) and t3 (P2SH, 1C BD) by base58check; Sapling zs1 by bech32 with a
// 43-byte payload. Sprout (zc) and unified (u1) addresses get no check.
func zcashAddress(label, s string) (string, *bool, string) {
	switch {
	case s[0] == 't':
		return base58AddressWidth(label, s, "\x1c\xb8\x1c\xbd", 2)
	case hasPrefixFold(s, "zs1"):
		hrp, data, version, err := bech32.DecodeGeneric(s)
		if err == nil && version != bech32.Version0 {
			return checked(s, false, label+" Sapling address must use bech32, not bech32m")
		}
		if err != nil {
			return checked(s, false, label+" address is not valid bech32: "+bech32Problem(err))
		}
		payload, err := bech32.ConvertBits(data, 5, 8, false)
		if hrp != "zs" || err != nil || len(payload) != 43 {
			return checked(s, false, label+" Sapling address must hold 43 bytes")
		}
		return checked(strings.ToLower(s), true, "")
	}
	return s, nil, "no check for this " + label + " address form"
}

// Cash address (Bitcoin Cash) encoding: the bech32 character set, a 40-bit
// BCH checksum over the prefix and the payload.
const (
	cashAddrPrefix  = "bitcoincash"
	bech32Charset   = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
	cashAddrMaxSize = 112
)

// isCashAddrShape reports whether s looks like a cash address rather than
// a legacy base58 one (which starts with 1 or 3): a prefix with ':', or a
// q or p (the address types P2KH and P2SH).
func isCashAddrShape(s string) bool {
	return strings.Contains(s, ":") || strings.ContainsRune("qpQP", rune(s[0]))
}

// cashAddress checks a Bitcoin Cash cash address, with or without its
// "bitcoincash:" prefix: one case, the bech32 characters, a valid
// checksum, a version byte whose size bits match the hash length. A valid
// address is returned in lower case without the prefix.
func cashAddress(label, s string) (string, *bool, string) {
	l := strings.ToLower(s)
	if l != s && strings.ToUpper(s) != s {
		return checked(s, false, label+" cash address mixes upper and lower case")
	}
	payload := l
	if p, rest, ok := strings.Cut(l, ":"); ok {
		if p != cashAddrPrefix {
			return checked(s, false, label+" cash address prefix "+quoteValue(p)+" is not "+cashAddrPrefix)
		}
		payload = rest
	}
	if len(payload) < 8+2 || len(payload) > cashAddrMaxSize {
		return checked(s, false, label+" cash address has the wrong length")
	}
	values := make([]byte, 0, len(cashAddrPrefix)+1+len(payload))
	for i := 0; i < len(cashAddrPrefix); i++ {
		values = append(values, cashAddrPrefix[i]&0x1f)
	}
	values = append(values, 0)
	for i := 0; i < len(payload); i++ {
		j := strings.IndexByte(bech32Charset, payload[i])
		if j < 0 {
			return checked(s, false, label+" cash address has a character outside the bech32 set")
		}
		values = append(values, byte(j))
	}
	if cashAddrPolymod(values) != 0 {
		return checked(s, false, label+" cash address checksum does not match")
	}
	data := values[len(cashAddrPrefix)+1 : len(values)-8]
	b, err := bech32.ConvertBits(data, 5, 8, false)
	if err != nil || len(b) < 1 {
		return checked(s, false, label+" cash address payload is malformed")
	}
	sizes := [8]int{20, 24, 28, 32, 40, 48, 56, 64}
	if b[0]&0x80 != 0 || len(b)-1 != sizes[b[0]&0x07] {
		return checked(s, false, label+" cash address version does not match its hash length")
	}
	return checked(payload, true, "")
}

// cashAddrPolymod is the BCH code of the cash address specification.
func cashAddrPolymod(values []byte) uint64 {
	c := uint64(1)
	for _, d := range values {
		c0 := byte(c >> 35)
		c = ((c & 0x07ffffffff) << 5) ^ uint64(d)
		if c0&0x01 != 0 {
			c ^= 0x98f2bc8e61
		}
		if c0&0x02 != 0 {
			c ^= 0x79b76d99e2
		}
		if c0&0x04 != 0 {
			c ^= 0xf33e5fb3c4
		}
		if c0&0x08 != 0 {
			c ^= 0xae2eabe2a8
		}
		if c0&0x10 != 0 {
			c ^= 0x1e4f43e470
		}
	}
	return c ^ 1
}

// Monero main-network address prefixes (varint, one byte each).
const (
	moneroStandard   = 18 // 4...
	moneroIntegrated = 19 // 4..., with an 8-byte payment ID
	moneroSubaddress = 42 // 8...
)

// moneroAddress checks a Monero address: Monero's base58 (8-byte blocks of
// 11 characters), a main-network prefix, two 32-byte public keys (and an
// 8-byte payment ID for integrated addresses), and the first 4 bytes of
// Keccak-256 of all that as checksum.
func moneroAddress(label, s string) (string, *bool, string) {
	b, ok := moneroBase58Decode(s)
	if !ok {
		return checked(s, false, label+" address is not Monero base58")
	}
	if len(b) != 1+64+4 && len(b) != 1+64+8+4 {
		return checked(s, false, label+" address must be 95 or 106 characters")
	}
	h := sha3.NewLegacyKeccak256()
	h.Write(b[:len(b)-4])
	if !bytes.Equal(h.Sum(nil)[:4], b[len(b)-4:]) {
		return checked(s, false, label+" address checksum does not match (Keccak-256)")
	}
	switch {
	case len(b) == 69 && (b[0] == moneroStandard || b[0] == moneroSubaddress),
		len(b) == 77 && b[0] == moneroIntegrated:
		return checked(s, true, "")
	}
	return checked(s, false, label+" address is not a main-network address")
}

// moneroBlockChars[n] is the number of characters that encode n bytes.
const moneroBlockChars = "\x00\x02\x03\x05\x06\x07\x09\x0a\x0b"

// moneroBase58Decode decodes Monero's base58: full blocks of 8 bytes as
// 11 characters each, and a shorter last block.
func moneroBase58Decode(s string) ([]byte, bool) {
	full, rest := len(s)/11, len(s)%11
	last := -1
	for n := range len(moneroBlockChars) {
		if int(moneroBlockChars[n]) == rest {
			last = n
		}
	}
	if last < 0 || s == "" {
		return nil, false
	}
	out := make([]byte, 0, full*8+last)
	for i := 0; i <= full; i++ {
		block, size := s[i*11:min(len(s), i*11+11)], 8
		if i == full {
			size = last
		}
		if size == 0 {
			break
		}
		var v uint64
		for j := 0; j < len(block); j++ {
			d := strings.IndexByte(bitcoinAlphabet, block[j])
			if d < 0 {
				return nil, false
			}
			hi, lo := bits.Mul64(v, 58)
			if hi != 0 || lo+uint64(d) < lo {
				return nil, false
			}
			v = lo + uint64(d)
		}
		if size < 8 && v>>(8*size) != 0 {
			return nil, false
		}
		for k := size - 1; k >= 0; k-- {
			out = append(out, byte(v>>(8*k)))
		}
	}
	return out, true
}
