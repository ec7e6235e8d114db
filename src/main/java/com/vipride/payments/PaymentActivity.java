package com.vipride.payments;

import java.util.List;

/** A payment with what happened to it afterwards: its refunds and disputes, newest first. */
record PaymentActivity(
        PaymentView payment, List<MoneyMovements.Refund> refunds, List<MoneyMovements.Dispute> disputes) {}
