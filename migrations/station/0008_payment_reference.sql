-- A card or cheque payment keeps its reference (the card slip's or the cheque's number).
ALTER TABLE `payments` ADD `reference` text;
